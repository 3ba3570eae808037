// How a stage target runs: `classifsae run --until <stage>`, which takes the stage graph from Core's StageRegistry
// (locally in order, or with --scheduler slurm as jobs chained with afterok).
public void RunStage(BuildParameters p, string stage)
{
    var slurm = p.Scheduler == "slurm";
    var cli = p.Root + "/src/ClassifSae.Cli/bin/" + p.Configuration + "/net10.0/classifsae.dll";
    var args = new ProcessArgumentBuilder().AppendQuoted(cli);
    args.Append("run").Append("--until").Append(stage);
    args
        .Append("--profile").AppendQuoted(p.Profile)
        .Append("--device").Append(p.Device)
        .Append("--threads").Append(p.Threads)
        .Append("--runs-dir").AppendQuoted(p.RunsDir)
        .Append("--store").AppendQuoted(p.Store);
    if (p.Force) args.Append("--force");
    if (p.Models != "") args.Append("--models").AppendQuoted(p.Models);
    if (p.Datasets != "") args.Append("--datasets").AppendQuoted(p.Datasets);
    if (p.Seeds != "") args.Append("--seeds").AppendQuoted(p.Seeds);
    if (p.DataDir != "") args.Append("--data-dir").AppendQuoted(p.DataDir);
    if (p.Scheduler != "local") args.Append("--scheduler").Append(p.Scheduler);
    if (p.DryRun) args.Append("--dry-run");
    if (p.Scheduler == "slurm" && !p.DryRun) args.Append("--wait");
    if (p.Methods.Length > 0) args.Append("--methods").AppendQuoted(p.Methods);
    if (p.MethodVersion.Length > 0) args.Append("--method-version").AppendQuoted(p.MethodVersion);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = p.Root });
    if (exit != 0) throw new Exception($"classifsae {stage} failed (exit code {exit})");
}

// Starts the one-node test cluster (build/slurm/local-cluster.sh); returns its SLURM_CONF, or null where it cannot run.
public string StartLocalSlurm(BuildParameters p)
{
    if (!IsRunningOnLinux() || EnvironmentVariable("CLASSIFSAE_SKIP_SLURM") == "1") return null;
    IEnumerable<string> output;
    var exit = StartProcess("bash", new ProcessSettings
    {
        Arguments = $"build/slurm/local-cluster.sh start {p.Artifacts}/slurm", WorkingDirectory = p.Root, RedirectStandardOutput = true,
    }, out output);
    var lines = output.ToList();
    if (exit != 0 || lines.Count == 0) { Warning("Slurm could not be started; the Slurm tests will be skipped"); return null; }
    return lines.Last().Trim();
}

// `Bench`: the CLI's bench command in one process (ceilings, then each hot path, each followed by its PyTorch twin);
// table in artifacts/bench/bench.md.
public void RunBench(BuildParameters p)
{
    // The PyTorch side of every case needs Debian's python3-torch (installed here when missing and root).
    if (IsRunningOnLinux()) StartProcess("bash", new ProcessSettings { Arguments = "build/native/ensure-python-packages.sh", WorkingDirectory = p.Root });
    var cli = p.Root + "/src/ClassifSae.Cli/bin/" + p.Configuration + "/net10.0/classifsae.dll";
    var args = new ProcessArgumentBuilder()
        .AppendQuoted(cli)
        .Append("bench")
        .Append("--threads").Append(p.Threads)
        .Append("--store").AppendQuoted(p.Store)
        .Append("--output").AppendQuoted(p.Artifacts + "/bench/bench.md");
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = p.Root });
    if (exit != 0) throw new Exception($"classifsae bench failed (exit code {exit})");
}
