using System.CommandLine;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Runtime;

namespace ClassifSae.Cli;

/// <summary>One sub-command per pipeline stage; each runs that stage for every (model, data set) of the profile.</summary>
internal static class StageCommand
{
    public static readonly string[] All = [StageNames.FineTune, StageNames.Cache, StageNames.Train, StageNames.Evaluate, StageNames.Report];

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        [StageNames.FineTune] = "fine-tune the backbone as a prompt classifier and save predicted labels",
        [StageNames.Cache] = "cache the decision-token states entering the last block (train and test)",
        [StageNames.Train] = "train the concept methods (ClassifSAE, SAE, ICA, ConceptSHAP) on the cached train states",
        [StageNames.Evaluate] = "evaluate the concepts: selection, recovery accuracy, activation rates, top sentences",
        [StageNames.Report] = "write the Markdown/HTML summary from the results store",
    };

    public static Command Create(string stage)
    {
        var cmd = new Command(stage, Descriptions[stage]);
        CommonOptions.AddTo(cmd);
        cmd.SetAction(r => CliErrors.Guard(() => Execute(r, [stage])));
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
            var seeds = ContextFactory.Seeds(r, ctx);
            if (!ctx.Keys().Any()) throw new UserError("the selection names no (model, data set) pair");
            if (stages.Contains(StageNames.FineTune)) Preflight.Check(ctx);
            if (stages.Any(s => s != StageNames.Report)) Results.StoreWritable.Require(ctx.StorePath);
            foreach (var stage in stages)
            {
                if (stage == StageNames.Report)
                {
                    ReportStage.Run(ctx);
                    continue;
                }
                foreach (var seed in seeds)
                    foreach (var key in ctx.Keys())
                    {
                        var cell = ctx.WithSeed(seed).For(key);
                        Dispatch(stage, cell with { Ingest = new StoreIngest(cell).Record }, key);
                    }
            }
        });
        return 0;
    }

    private static void Dispatch(string stage, RunContext ctx, PipelineKey key)
    {
        _ = stage switch
        {
            StageNames.FineTune => FineTuneStage.Run(ctx, key),
            StageNames.Cache => CacheStage.Run(ctx, key),
            StageNames.Train => TrainStage.Run(ctx, key),
            StageNames.Evaluate => EvaluateStage.Run(ctx, key),
            _ => throw new ArgumentException($"unknown stage {stage}"),
        };
    }
}
