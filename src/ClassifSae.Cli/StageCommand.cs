using System.CommandLine;
using ClassifSae.Pipeline;

namespace ClassifSae.Cli;

/// <summary>One sub-command per stage of the <see cref="StageRegistry"/>; each runs that stage for every (model, data set) of the profile.</summary>
internal static class StageCommand
{
    public static Command Create(StageDefinition stage)
    {
        var cmd = new Command(stage.Name, stage.Description);
        StageOptions.AddTo(cmd, StageOptions.For(stage));
        cmd.SetAction(r => CliErrors.Guard(() => Execute(r, [stage.Name])));
        return cmd;
    }

    public static int Execute(ParseResult r, IReadOnlyList<string> stages)
    {
        var scheduler = r.GetValue(CommonOptions.Scheduler);
        if (scheduler == "slurm") return SlurmExecution.Execute(r, stages);
        if (scheduler != "local") throw new UserError($"--scheduler: '{scheduler}' is not known (expected local or slurm)");
        SpectreProgress.Run(progress =>
        {
            var ctx = ContextFactory.Create(r, progress);
            PipelineRunner.RunStages(ctx, stages, ContextFactory.Seeds(r, ctx));
        });
        return 0;
    }
}
