using System.CommandLine;
using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using Spectre.Console;

namespace ClassifSae.Cli;

/// <summary>Builds the shared run context from the common options.</summary>
internal static class ContextFactory
{
    public static IReadOnlyList<long> Seeds(ParseResult r, RunContext ctx) =>
        CommonOptions.List(r.GetValue(CommonOptions.Seeds))?.Select(s => long.TryParse(s, out var v) ? v : throw new UserError($"--seeds: '{s}' is not an integer")).ToList()
        ?? [ctx.Seed];

    /// <param name="resolveDevice">False where this process computes nothing (Slurm submission): the device is then the CPU.</param>
    public static RunContext Create(ParseResult r, IProgressSink progress, bool resolveDevice = true)
    {
        var profilesDir = r.GetValue(CommonOptions.ProfilesDir) ?? Locations.ProfilesDir();
        var profile = ProfileLoader.Load(r.GetValue(CommonOptions.Profile)!, profilesDir);
        var deviceName = r.GetValue(CommonOptions.Device)!;
        var device = resolveDevice ? TorchRuntime.ResolveDevice(deviceName) : TorchSharp.torch.CPU;
        var threads = TorchRuntime.ConfigureThreads(r.GetValue(CommonOptions.Threads) is > 0 and var t ? t : profile.Threads);
        var models = CommonOptions.List(r.GetValue(CommonOptions.Models));
        var datasets = CommonOptions.List(r.GetValue(CommonOptions.Datasets));
        foreach (var m in models ?? []) if (!profile.Models.ContainsKey(m)) throw new UserError($"--models: profile '{profile.Name}' has no model '{m}' (it has: {string.Join(", ", profile.Models.Keys)})");
        foreach (var d in datasets ?? []) if (!profile.Datasets.ContainsKey(d)) throw new UserError($"--datasets: profile '{profile.Name}' has no data set '{d}' (it has: {string.Join(", ", profile.Datasets.Keys)})");
        return new RunContext
        {
            DataDir = Path.GetFullPath(r.GetValue(CommonOptions.DataDir) ?? Environment.GetEnvironmentVariable("CLASSIFSAE_DATA") ?? Path.Combine(Locations.RepoRootOrCurrent(), "data")),
            ModelFilter = models?.ToHashSet(),
            DatasetFilter = datasets?.ToHashSet(),
            Profile = profile,
            RunsDir = Path.GetFullPath(r.GetValue(CommonOptions.RunsDir) ?? Path.Combine(Locations.RepoRootOrCurrent(), "runs")),
            StorePath = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore()),
            Device = device,
            DeviceName = device.type.ToString().ToLowerInvariant(),
            Threads = threads,
            Force = r.GetValue(CommonOptions.Force),
            Methods = r.GetValue(CommonOptions.Methods) is { } methods ? ConceptMethods.Parse(methods) : null,
            Progress = progress,
            Log = line => { if (AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.MarkupLine(Markup.Escape(line)); else Console.WriteLine(line); },
        };
    }
}
