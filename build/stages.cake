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
    if (p.Models != "") args.Append("--models").AppendQuoted(p.Models);
    if (p.Datasets != "") args.Append("--datasets").AppendQuoted(p.Datasets);
    if (p.Seeds != "") args.Append("--seeds").AppendQuoted(p.Seeds);
    if (p.DataDir != "") args.Append("--data-dir").AppendQuoted(p.DataDir);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = p.Root });
    if (exit != 0) throw new Exception($"classifsae {stage} failed (exit code {exit})");
}
