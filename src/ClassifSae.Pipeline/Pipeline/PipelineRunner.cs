namespace ClassifSae.Pipeline;

/// <summary>
/// The pipeline's entry point: runs stages of the <see cref="StageRegistry"/> for every selected (model, data set) and
/// seed, in graph order, each finished stage written to the results store. The CLI, Cake and the tests all come here.
/// </summary>
public static class PipelineRunner
{
    /// <summary>Runs <paramref name="target"/> and every stage upstream of it (each skipped when up to date).</summary>
    public static void Run(RunContext ctx, string target, IReadOnlyList<long>? seeds = null, Action<StageCompletion>? observe = null) =>
        RunStages(ctx, StageRegistry.UpTo(target).Select(s => s.Name).ToList(), seeds, observe);

    /// <summary>Runs exactly the named stages, in graph order; their upstream stages must already be complete.</summary>
    public static void RunStages(RunContext ctx, IReadOnlyList<string> stages, IReadOnlyList<long>? seeds = null, Action<StageCompletion>? observe = null)
    {
        var ordered = StageRegistry.InOrder(stages);
        if (!ctx.Keys().Any()) throw new UserError("the selection names no (model, data set) pair");
        if (ordered.Any(s => s.Upstream.Count == 0 && s.PerCell)) Preflight.Check(ctx);
        if (ordered.Any(s => s.PerCell)) Results.StoreWritable.Require(ctx.StorePath);
        foreach (var stage in ordered)
        {
            if (stage.RunOnce is { } once)
            {
                once(ctx);
                continue;
            }
            foreach (var seed in seeds ?? [ctx.Seed])
                foreach (var key in ctx.Keys())
                {
                    var cell = ctx.WithSeed(seed).For(key);
                    var ingest = new StoreIngest(cell);
                    stage.RunCell!(cell with { Ingest = c => { observe?.Invoke(c); ingest.Record(c); } }, key);
                }
        }
    }
}
