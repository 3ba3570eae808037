// Every argument the script understands, read once.
public sealed class BuildParameters
{
    public string Target { get; }
    public string Configuration { get; }
    public string Profile { get; }
    public string Device { get; }
    public string TorchBackend { get; }
    public string Threads { get; }
    public bool Force { get; }
    /// <summary>--methods classifsae,sae,ica,conceptshap (empty: the profile's methods).</summary>
    public string Methods { get; }
    /// <summary>--method-version paper-2025|upstream-2026 (empty: the profile's method_version).</summary>
    public string MethodVersion { get; }
    public bool CleanAll { get; }
    public string Root { get; }
    public string Solution { get; }
    public string Artifacts { get; }
    public string TestResults { get; }
    public string RunsDir { get; }
    public string Store { get; }
    public string Models { get; }
    public string Datasets { get; }
    public string Seeds { get; }
    public string DataDir { get; }
    public string Scheduler { get; }
    public bool DryRun { get; }

    // Every name read below, so that a misspelt argument (--profil) is an error instead of silently ignored.
    private readonly SortedSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public BuildParameters(ICakeContext ctx)
    {
        Target = Arg(ctx, "target", "Default");
        Configuration = Arg(ctx, "configuration", "Release");
        Profile = Arg(ctx, "profile", "smoke");
        Device = Arg(ctx, "device", "cpu");
        TorchBackend = Arg(ctx, "torch-backend", "cpu");
        Threads = Arg(ctx, "threads", "0");
        Force = HasArg(ctx, "force") && Arg(ctx, "force", "true") != "false";
        Methods = Arg(ctx, "methods", "");
        MethodVersion = Arg(ctx, "method-version", "");
        CleanAll = HasArg(ctx, "all");
        Root = ctx.MakeAbsolute(ctx.Directory("..")).FullPath;
        Solution = Root + "/ClassifSae.sln";
        Artifacts = Root + "/artifacts";
        TestResults = Artifacts + "/test-results";
        RunsDir = Arg(ctx, "runs-dir", Root + "/runs");
        Store = Arg(ctx, "store", Root + "/results-db/results.duckdb");
        Models = Arg(ctx, "models", "");
        Datasets = Arg(ctx, "datasets", "");
        Seeds = Arg(ctx, "seeds", "");
        DataDir = Arg(ctx, "data-dir", "");
        Scheduler = Arg(ctx, "scheduler", "local");
        DryRun = HasArg(ctx, "dry-run");
        RejectUnknownArguments(ctx);
    }

    private string Arg(ICakeContext ctx, string name, string fallback) { _known.Add(name); return ctx.Argument(name, fallback); }

    private bool HasArg(ICakeContext ctx, string name) { _known.Add(name); return ctx.HasArgument(name); }

    // Cake's own options (--verbosity, --dryrun, --exclusive, ...) are consumed by Cake and never reach this list.
    private void RejectUnknownArguments(ICakeContext ctx)
    {
        var unknown = ctx.Arguments.GetArguments().Keys.Where(k => !_known.Contains(k)).Select(k => "--" + k).ToList();
        if (unknown.Count == 0) return;
        throw new Exception($"unknown argument{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; "
            + $"known: {string.Join(", ", _known.Select(k => "--" + k))} (and --cuda for build.sh, Cake's --verbosity/--dryrun)");
    }
}
