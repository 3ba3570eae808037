using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>The shipped smoke profile on three seeds into one store, as <c>./build.sh --target Reproduce --seeds 42,43,44</c> does.</summary>
public sealed class SmokeSeedsRun : IDisposable
{
    public static readonly long[] Seeds = [42, 43, 44];

    public string Root { get; } = Directory.CreateTempSubdirectory("smoke-seeds-").FullName;
    public RunContext Context { get; }

    public SmokeSeedsRun()
    {
        Context = new RunContext
        {
            Profile = ProfileLoader.Load("smoke", RepoPaths.Profiles), RunsDir = Path.Combine(Root, "runs"),
            StorePath = Path.Combine(Root, "results.duckdb"), Device = CPU, DeviceName = "cpu", Threads = TorchRuntime.ConfigureThreads(0),
        };
        PipelineRunner.Run(Context, StageNames.Report, Seeds);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
