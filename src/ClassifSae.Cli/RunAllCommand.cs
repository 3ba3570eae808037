using System.CommandLine;

namespace ClassifSae.Cli;

/// <summary><c>classifsae run</c>: every stage in order (what <c>./build.sh --target Reproduce</c> does).</summary>
internal static class RunAllCommand
{
    public static Command Create()
    {
        var cmd = new Command("run", "run every stage of the profile in order: finetune, cache, train, evaluate, report");
        CommonOptions.AddTo(cmd);
        cmd.SetAction(r => CliErrors.Guard(() => StageCommand.Execute(r, StageCommand.All)));
        return cmd;
    }
}
