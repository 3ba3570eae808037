// ClassifSae build script (Cake.Tool 7). Targets only orchestrate: every pipeline stage is a sub-command of
// the project's own CLI (`classifsae`), which also decides whether a stage is up to date.
#load "parameters.cake"
#load "stages.cake"

var p = new BuildParameters(Context);

Task("Clean")
    .Description("Deletes build outputs (and, with --all, the runs/ folder and the results store).")
    .Does(() =>
{
    CleanDirectories(p.Root + "/src/**/bin");
    CleanDirectories(p.Root + "/src/**/obj");
    CleanDirectories(p.Root + "/tests/**/bin");
    CleanDirectories(p.Root + "/tests/**/obj");
    CleanDirectory(p.Artifacts);
    if (p.CleanAll)
    {
        if (DirectoryExists(p.RunsDir)) DeleteDirectory(p.RunsDir, new DeleteDirectorySettings { Recursive = true, Force = true });
        DeleteFiles(p.Root + "/results-db/*.duckdb*");
    }
});

Task("Build")
    .Description("Builds the solution (TorchSharp-cpu by default; --cuda for TorchSharp-cuda-linux).")
    .Does(() =>
{
    DotNetBuild(p.Solution, new DotNetBuildSettings
    {
        Configuration = p.Configuration,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("TorchBackend", p.TorchBackend),
    });
});

Task("Test")
    .Description("Runs the unit, known-answer and planted-concept tests.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The HTML report test loads the report in headless Chromium; it is skipped (not passed) without it.
    if (IsRunningOnLinux()) StartProcess("bash", new ProcessSettings { Arguments = "build/native/ensure-test-browser.sh", WorkingDirectory = p.Root });
    if (IsRunningOnLinux()) StartProcess("bash", new ProcessSettings { Arguments = "build/native/ensure-python-packages.sh", WorkingDirectory = p.Root });
    CleanDirectory(p.TestResults);
    // The Slurm tests submit the smoke grid to a one-node cluster started here (skipped where Slurm cannot run).
    var slurmConf = StartLocalSlurm(p);
    try
    {
    DotNetTest(p.Solution, new DotNetTestSettings
    {
        EnvironmentVariables = slurmConf is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["SLURM_CONF"] = slurmConf },
        Configuration = p.Configuration,
        NoBuild = true,
        Loggers = new[] { "trx;LogFileName=tests.trx", "console;verbosity=normal" },
        ResultsDirectory = p.TestResults,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("TorchBackend", p.TorchBackend),
    });
    }
    finally
    {
        if (slurmConf is not null) StartProcess("bash", new ProcessSettings { Arguments = $"build/slurm/local-cluster.sh stop {p.Artifacts}/slurm", WorkingDirectory = p.Root });
    }
});

// Stage targets: the stage graph lives in Core (StageRegistry); each target runs `classifsae run --until <stage>`,
// which runs the stages upstream of it first (each skipped when up to date), locally or as chained Slurm jobs.
Task("FineTune").Description("Fine-tunes the backbone as a prompt classifier.").IsDependentOn("Build").Does(() => RunStage(p, "finetune"));
Task("Cache").Description("Caches the decision-token states entering the last block (and the stages before).").IsDependentOn("Build").Does(() => RunStage(p, "cache"));
Task("Train").Description("Trains the concept methods (ClassifSAE, SAE, ICA, ConceptSHAP) on the cached states (and the stages before).").IsDependentOn("Build").Does(() => RunStage(p, "train"));
Task("Evaluate").Description("Computes the concept metrics (and the stages before).").IsDependentOn("Build").Does(() => RunStage(p, "evaluate"));
Task("Report").Description("Writes the Markdown/HTML report from the results store (and the stages before).").IsDependentOn("Build").Does(() => RunStage(p, "report"));
Task("Reproduce").Description("Runs every stage of the profile (default: smoke).").IsDependentOn("Report");

Task("Bench")
    .Description("Measures matmul ceilings and the hot paths at paper shapes; results to the store and artifacts/bench/bench.md.")
    .IsDependentOn("Build")
    .Does(() => RunBench(p));

Task("Default").IsDependentOn("Build").IsDependentOn("Test");

RunTarget(p.Target);
