using ClassifSae.Backbones;
using ClassifSae.Data;
using ClassifSae.Pipeline.Stages;

namespace ClassifSae.Pipeline;

/// <summary>
/// Checks, before any stage runs, that every model and data set of the selected grid can be found, so a
/// long run does not fail hours in; a missing one is reported with where to put it or how to fetch it.
/// </summary>
public static class Preflight
{
    public static void Check(RunContext ctx)
    {
        var problems = new List<string>();
        foreach (var model in ctx.Keys().Select(k => k.Model).Distinct())
        {
            var spec = ctx.Profile.Models[model];
            if (spec.Source != "hf") continue;
            try { ModelResolver.Resolve(spec.Path!, ctx.Progress); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or InvalidDataException or IOException)
            {
                problems.Add(e.Message);
            }
        }
        foreach (var encoder in ctx.Keys().Select(k => ctx.For(k).Profile.Evaluate.SentenceEncoder).Distinct())
        {
            if (SentenceEncoders.SentenceEncoderFactory.IsBuiltin(encoder)) continue;
            try { ModelResolver.Resolve(encoder, ctx.Progress); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or InvalidDataException or IOException)
            {
                problems.Add($"evaluate.sentence_encoder: {e.Message}");
            }
        }
        foreach (var dataset in ctx.Keys().Select(k => k.Dataset).Distinct())
        {
            if (ctx.Profile.Datasets[dataset].Source != "files") continue;
            var source = FineTuneStage.FilesSource(ctx, dataset);
            foreach (var (split, pattern) in new[] { ("train", source.TrainPattern), ("test", source.TestPattern) })
                if (TabularSplitReader.Glob(pattern).Count == 0)
                    problems.Add($"data set '{dataset}' {split} split: no file matches {pattern}" +
                                 (source.HubId is null ? "" : $" (download the Hugging Face dataset '{source.HubId}' Parquet files under {ctx.DataDir}, e.g. `huggingface-cli download {source.HubId} --repo-type dataset --local-dir {Path.Combine(ctx.DataDir, dataset)}`, or pass --data-dir)"));
        }
        if (problems.Count > 0) throw new UserError(string.Join(" | ", problems));
    }
}
