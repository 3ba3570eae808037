using System.CommandLine;
using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using Spectre.Console;

namespace ClassifSae.Cli;

/// <summary>Builds the shared run context from the common options.</summary>
internal static class ContextFactory
{
    public static RunContext Create(ParseResult r, IProgressSink progress)
    {
        var profilesDir = r.GetValue(CommonOptions.ProfilesDir) ?? Locations.ProfilesDir();
        var profile = ProfileLoader.Load(r.GetValue(CommonOptions.Profile)!, profilesDir);
        var deviceName = r.GetValue(CommonOptions.Device)!;
        var device = TorchRuntime.ResolveDevice(deviceName);
        var threads = TorchRuntime.ConfigureThreads(r.GetValue(CommonOptions.Threads) is > 0 and var t ? t : profile.Threads);
        return new RunContext
        {
            Profile = profile,
            RunsDir = Path.GetFullPath(r.GetValue(CommonOptions.RunsDir) ?? Path.Combine(Locations.RepoRootOrCurrent(), "runs")),
            StorePath = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore()),
            Device = device,
            DeviceName = device.type.ToString().ToLowerInvariant(),
            Threads = threads,
            Force = r.GetValue(CommonOptions.Force),
            Methods = r.GetValue(CommonOptions.Methods) is { } methods ? ConceptMethods.Parse(methods) : null,
            Progress = progress,
            Log = line => AnsiConsole.MarkupLine(Markup.Escape(line)),
        };
    }
}
