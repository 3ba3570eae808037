// How a target runs one pipeline stage: the built CLI, in-process arguments forwarded.
public void RunStage(BuildParameters p, string stage)
{
    var cli = p.Root + "/src/ClassifSae.Cli/bin/" + p.Configuration + "/net10.0/classifsae.dll";
    var args = new ProcessArgumentBuilder()
        .AppendQuoted(cli)
        .Append(stage)
        .Append("--profile").AppendQuoted(p.Profile)
        .Append("--device").Append(p.Device)
        .Append("--threads").Append(p.Threads)
        .Append("--runs-dir").AppendQuoted(p.RunsDir)
        .Append("--store").AppendQuoted(p.Store);
    if (p.Force) args.Append("--force");
    if (p.Methods.Length > 0 && stage is "train" or "evaluate") args.Append("--methods").AppendQuoted(p.Methods);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = p.Root });
    if (exit != 0) throw new Exception($"classifsae {stage} failed (exit code {exit})");
}
