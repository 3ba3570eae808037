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

    public BuildParameters(ICakeContext ctx)
    {
        Target = ctx.Argument("target", "Default");
        Configuration = ctx.Argument("configuration", "Release");
        Profile = ctx.Argument("profile", "smoke");
        Device = ctx.Argument("device", "cpu");
        TorchBackend = ctx.Argument("torch-backend", "cpu");
        Threads = ctx.Argument("threads", "0");
        Force = ctx.HasArgument("force") && ctx.Argument("force", "true") != "false";
        Methods = ctx.Argument("methods", "");
        CleanAll = ctx.HasArgument("all");
        Root = ctx.MakeAbsolute(ctx.Directory("..")).FullPath;
        Solution = Root + "/ClassifSae.sln";
        Artifacts = Root + "/artifacts";
        TestResults = Artifacts + "/test-results";
        RunsDir = ctx.Argument("runs-dir", Root + "/runs");
        Store = ctx.Argument("store", Root + "/results-db/results.duckdb");
        Models = ctx.Argument("models", "");
        Datasets = ctx.Argument("datasets", "");
        Seeds = ctx.Argument("seeds", "");
        DataDir = ctx.Argument("data-dir", "");
        Scheduler = ctx.Argument("scheduler", "local");
        DryRun = ctx.HasArgument("dry-run");
    }
}
