using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>Runs the shipped smoke profile end to end into a temporary folder (once per test class that shares it).</summary>
public sealed class SmokeRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("smoke-e2e-").FullName;
    public RunContext Context { get; }
    public PipelineKey Key { get; }
    public List<StageCompletion> Completions { get; } = [];

    public SmokeRun()
    {
        Context = Run(Path.Combine(Root, "a"));
        Key = Context.Keys().Single();
    }

    /// <summary>Runs every stage of the smoke profile with runs and store under <paramref name="folder"/>.</summary>
    public RunContext Run(string folder, bool force = false)
    {
        var profile = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var ctx = new RunContext
        {
            Profile = profile, RunsDir = Path.Combine(folder, "runs"), StorePath = Path.Combine(folder, "results.duckdb"),
            Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0), Force = force,
        };
        PipelineRunner.Run(ctx, StageNames.Report, observe: c => { lock (Completions) Completions.Add(c); });
        return ctx;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
