using ClassifSae.Backbones;
using ClassifSae.Data;
using ClassifSae.Pipeline.Stages;

namespace ClassifSae.Pipeline;

/// <summary>
/// Checks, before any stage runs, that every model and data set of the selected grid can be found, so a
/// long run does not fail hours in; a missing one is reported with where to put it or how to fetch it. Once a Hugging
/// Face model's config.json is at hand, the settings that depend on its width (k, n_concepts ≤ d_sae; ICA components ≤ d)
/// are checked for every cell and selected method, as the profile loader did for scratch models.
/// </summary>
public static class Preflight
{
    public static void Check(RunContext ctx)
    {
        var problems = new List<string>();
        var widths = new Dictionary<string, int?>();
        foreach (var model in ctx.Keys().Select(k => k.Model).Distinct())
        {
            var spec = ctx.Profile.Models[model];
            widths[model] = ProfileValidation.KnownWidth(spec);
            if (spec.Source != "hf") continue;
            try { widths[model] = Backbones.Registry.BackboneRegistry.PretrainedShape(ModelResolver.Resolve(spec.Path!, ctx.Progress)).HiddenSize; }
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
            var hubId = ctx.Profile.Datasets[dataset].HubId;
            var splits = new[] { ("train", source.TrainPattern), ("test", source.TestPattern) }.Concat((source.TestExtraPatterns ?? []).Select(p => ("test", p)));
            foreach (var (split, pattern) in splits)
                if (TabularSplitReader.Glob(pattern).Count == 0)
                    problems.Add($"data set '{dataset}' {split} split: no file matches {pattern}" +
                                 (source.DownloadHint is null ? "" : $" (download the Hugging Face dataset '{hubId}' Parquet files under {ctx.DataDir}: `{source.DownloadHint}`, or pass --data-dir)"));
        }
        if (problems.Count > 0) throw new UserError(string.Join(" | ", problems));
        foreach (var key in ctx.Keys())
        {
            var cell = ctx.For(key).Profile;
            var check = new Settings.SettingsCheck();
            ProfileValidation.CheckMethods(cell, ctx.For(key).SelectedMethods(), widths[key.Model], ProfileValidation.KnownTrainRows(cell.Datasets[key.Dataset]), check);
            check.ThrowIfAny(problem => new UserError($"profile '{cell.Name}': {problem} (model '{key.Model}', data set '{key.Dataset}')"));
        }
    }
}
