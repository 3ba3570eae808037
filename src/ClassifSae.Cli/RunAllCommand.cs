using System.CommandLine;
using ClassifSae.Pipeline;

namespace ClassifSae.Cli;

/// <summary><c>classifsae run</c>: a stage and every stage upstream of it (what <c>./build.sh --target Reproduce</c> does).</summary>
internal static class RunAllCommand
{
    public static Command Create()
    {
        var until = new Option<string?>("--until") { Description = $"last stage to run (default: {StageRegistry.Names[^1]})" };
        var cmd = new Command("run", $"run every stage of the profile in order: {string.Join(", ", StageRegistry.Names)}");
        StageOptions.AddTo(cmd, StageOptions.ForAllStages());
        cmd.Options.Add(until);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var last = r.GetValue(until) ?? StageRegistry.Names[^1];
            if (!StageRegistry.Names.Contains(last)) throw new UserError($"--until: unknown stage '{last}' (expected one of {string.Join(", ", StageRegistry.Names)})");
            return StageCommand.Execute(r, StageRegistry.UpTo(last).Select(s => s.Name).ToList());
        }));
        return cmd;
    }
}
