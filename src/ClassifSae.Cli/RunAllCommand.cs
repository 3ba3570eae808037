using System.CommandLine;

namespace ClassifSae.Cli;

/// <summary><c>classifsae run</c>: every stage in order (what <c>./build.sh --target Reproduce</c> does).</summary>
internal static class RunAllCommand
{
    public static Command Create()
    {
        var until = new Option<string?>("--until") { Description = "last stage to run (default: report)" };
        var cmd = new Command("run", "run every stage of the profile in order: finetune, cache, train, evaluate, report");
        CommonOptions.AddTo(cmd);
        cmd.Options.Add(until);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var last = r.GetValue(until) ?? StageCommand.All[^1];
            var index = Array.IndexOf(StageCommand.All, last);
            if (index < 0) throw new Pipeline.UserError($"--until: unknown stage '{last}' (expected one of {string.Join(", ", StageCommand.All)})");
            return StageCommand.Execute(r, StageCommand.All[..(index + 1)]);
        }));
        return cmd;
    }
}
