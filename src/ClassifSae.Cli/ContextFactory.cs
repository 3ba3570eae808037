using System.CommandLine;
using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using Spectre.Console;

namespace ClassifSae.Cli;

/// <summary>Builds the shared run context from the stage options (those a command lacks take their defaults).</summary>
internal static class ContextFactory
{
    /// <summary>Seeds must fit the results store's 32-bit seed column, so one is never stored as another.</summary>
    public static IReadOnlyList<long> Seeds(ParseResult r, RunContext ctx) =>
        CommonOptions.List(CommonOptions.Value(r, CommonOptions.Seeds, null))?.Select(s =>
            long.TryParse(s, out var v) && v is >= 0 and <= ProfileValidation.MaxSeed ? v
            : throw new UserError($"--seeds: '{s}' must be an integer in [0, {ProfileValidation.MaxSeed}] (the results store keeps seeds as 32-bit integers)")).ToList()
        ?? [ctx.Seed];

    /// <summary><c>--threads</c> if given (0 = the profile's), else the profile's; either bounded by this machine's cores.</summary>
    public static int Threads(ParseResult r, Pipeline.Profile? profile)
    {
        var flag = CommonOptions.Value(r, CommonOptions.Threads, 0);
        var max = ProfileValidation.MaxThreadsHere;
        if (flag < 0 || flag > max)
            throw new UserError($"--threads = {flag} must be in [0, {max}] (0 = all cores; at most 4 × the {Environment.ProcessorCount} cores, or 1024)");
        var threads = flag > 0 ? flag : profile?.Threads ?? 0;
        if (threads > max)
            throw new UserError($"profile '{profile?.Name}': threads = {threads} must be at most {max} on this machine (4 × its {Environment.ProcessorCount} cores); pass --threads to override");
        return TorchRuntime.ConfigureThreads(threads);
    }

    /// <param name="resolveDevice">False where this process computes nothing (Slurm submission): the device is then the CPU.</param>
    public static RunContext Create(ParseResult r, IProgressSink progress, bool resolveDevice = true)
    {
        var profilesDir = r.GetValue(CommonOptions.ProfilesDir) ?? Locations.ProfilesDir();
        var profile = ProfileLoader.Load(r.GetValue(CommonOptions.Profile)!, profilesDir, CommonOptions.Value(r, CommonOptions.Set, []) ?? []);
        if (CommonOptions.Value(r, CommonOptions.MethodVersion, null) is { } version)
        {
            if (!global::ClassifSae.Settings.MethodVersion.All.Contains(version))
                throw new UserError($"--method-version: '{version}' must be one of {string.Join(", ", global::ClassifSae.Settings.MethodVersion.All)}");
            profile = ProfileLoader.WithMethodVersion(profile, version, $"profile '{profile.Name}' with --method-version {version}");
        }
        var deviceName = CommonOptions.Value(r, CommonOptions.Device, "cpu");
        var device = resolveDevice ? TorchRuntime.ResolveDevice(deviceName) : TorchSharp.torch.CPU;
        var threads = Threads(r, profile);
        var models = CommonOptions.List(CommonOptions.Value(r, CommonOptions.Models, null));
        var datasets = CommonOptions.List(CommonOptions.Value(r, CommonOptions.Datasets, null));
        foreach (var m in models ?? []) if (!profile.Models.ContainsKey(m)) throw new UserError($"--models: profile '{profile.Name}' has no model '{m}' (it has: {string.Join(", ", profile.Models.Keys)})");
        foreach (var d in datasets ?? []) if (!profile.Datasets.ContainsKey(d)) throw new UserError($"--datasets: profile '{profile.Name}' has no data set '{d}' (it has: {string.Join(", ", profile.Datasets.Keys)})");
        return new RunContext
        {
            DataDir = Path.GetFullPath(CommonOptions.Value(r, CommonOptions.DataDir, null) ?? Environment.GetEnvironmentVariable("CLASSIFSAE_DATA") ?? Path.Combine(Locations.RepoRootOrCurrent(), "data")),
            ModelFilter = models?.ToHashSet(),
            DatasetFilter = datasets?.ToHashSet(),
            Profile = profile,
            RunsDir = Path.GetFullPath(r.GetValue(CommonOptions.RunsDir) ?? Path.Combine(Locations.RepoRootOrCurrent(), "runs")),
            StorePath = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore()),
            Device = device,
            DeviceName = device.type.ToString().ToLowerInvariant(),
            Threads = threads,
            Force = CommonOptions.Value(r, CommonOptions.Force, false),
            Methods = CommonOptions.Value(r, CommonOptions.Methods, null) is { } methods ? ConceptMethods.Parse(methods) : null,
            Progress = progress,
            Log = line =>
            {
                var stamped = LogLine.Format(DateTime.UtcNow, line);
                if (AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.MarkupLine(Markup.Escape(stamped)); else Console.WriteLine(stamped);
            },
        };
    }
}
