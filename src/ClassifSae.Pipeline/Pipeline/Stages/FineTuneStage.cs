using TorchSharp;
using System.Text.Json;
using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.Evaluation;
using ClassifSae.Data;
using ClassifSae.FineTuning;
using ClassifSae.Formats;
using ClassifSae.Pipeline.TensorBoard;
using ClassifSae.Runtime;
using ClassifSae.Text;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// FineTune (spec 01 §1): builds the data set and tokenizer, prepares the backbone (the smoke run's tiny
/// GPT-NeoX is initialised from the seed and pretrained as a causal LM on the corpus), fine-tunes it with the
/// paper's template objective, then evaluates train and test and saves the predicted label of every sentence.
/// </summary>
public static class FineTuneStage
{
    /// <summary>The TensorBoard run (<c>tensorboard/fine_tune</c>) of the pretraining and fine-tuning loss and learning rate.</summary>
    public const string TensorBoardRun = "fine_tune";

    public static StageManifest Run(RunContext ctx, PipelineKey key)
    {
        var modelSpec = ctx.Profile.Models[key.Model];
        var dataSpec = ctx.Profile.Datasets[key.Dataset];
        var config = StageRegistry.OwnedSettings(ctx, key, StageNames.FineTune);
        return StageRunner.Run(ctx, StageNames.FineTune, key, config, new Dictionary<string, StageManifest>(),
            dir => Execute(ctx, key, modelSpec, dataSpec, new FineTuneArtifacts(dir)));
    }

    private static IReadOnlyList<MetricRecord> Execute(RunContext ctx, PipelineKey key, ModelSpec modelSpec, DatasetSpec dataSpec, FineTuneArtifacts output)
    {
        var o = ctx.Profile.FineTune;
        var pretrained = modelSpec.Source == "hf" ? ModelResolver.Resolve(modelSpec.Path!, ctx.Progress) : null;
        var dataset = LoadDataset(ctx, key.Dataset, modelSpec.FineTuned ? ModelClassNames(pretrained!, dataSpec) : null);
        DatasetFiles.Save(output.DataDir, dataset);
        var template = PromptEncoding.Template(dataset, dataSpec);
        ITextTokenizer tokenizer;
        if (pretrained is null)
        {
            var (compact, cap) = CompactTokenizer.BuildCapped(dataset.Train.Concat(dataset.Test).Select(e => e.Text), template, dataSpec.Tokenizer, o.VocabLimit);
            if (cap.Capped)
                ctx.Log($"vocabulary limited by fine_tune.vocab_limit = {o.VocabLimit}: the {cap.KeptVocabSize} most frequent of {cap.CorpusVocabSize} tokens kept, " +
                        $"{cap.UnknownShare:P2} of the corpus's tokens now read as unknown");
            tokenizer = compact;
        }
        else tokenizer = TokenizerFolder.Load(pretrained);
        output.SaveTokenizer(tokenizer, pretrained);
        // What downstream stages need of this stage's settings, so they never re-read FineTune-owned profile keys.
        output.SavePromptSettings(new PromptSettings(dataset.ClassCount, o.MaxLength, dataSpec.SpaceBeforeFinalNewline));
        ctx.Log($"data set '{dataset.Name}': {dataset.Train.Count} train / {dataset.Test.Count} test sentences, {dataset.ClassCount} classes; vocabulary {tokenizer.VocabSize} tokens");

        TorchRuntime.Seed(ctx.Seed);
        using var model = pretrained is null
            ? CreateModel(modelSpec, tokenizer.VocabSize, ctx.Seed)
            : BackboneRegistry.Start(pretrained, new ClassifierStart(dataset.ClassNames, ctx.Seed, modelSpec.HookLayer, modelSpec.HookToken));
        model.Module.to(ctx.Device);

        var trainPrompts = PromptEncoding.FullPrompts(model, dataset.Train, template, tokenizer);
        var labelTokens = PromptEncoding.LabelTokens(model, tokenizer, dataset.ClassCount);
        var (pretrain, finetune) = (new TrainingCurve(), new TrainingCurve());
        Tensor? softPrompt = null;
        if (modelSpec.FineTuned) ctx.Log($"model '{key.Model}' is fine_tuned: used as it is, no training");
        else if (modelSpec.SoftPrompted)
        {
            using var events = TensorBoardLog.Create(output.Folder, TensorBoardRun);
            (softPrompt, finetune) = TrainSoftPrompt(ctx, key, modelSpec, model, trainPrompts, dataset, labelTokens, tokenizer.PadId, events);
            output.SaveSoftPrompt(softPrompt);
        }
        else
        {
            var rawTexts = dataset.Train.Select(e => tokenizer.Encode(e.Text)).ToList();
            if (o.PretrainSteps > 0) LogPretrainCost(ctx, model, rawTexts, o, pretrained is null);
            using var events = TensorBoardLog.Create(output.Folder, TensorBoardRun);
            pretrain = ClassifierFineTuner.PretrainLanguageModel(model, rawTexts, o, tokenizer.PadId, ctx.Seed, ctx.Device, ctx.Progress, events);
            finetune = ClassifierFineTuner.FineTune(model, trainPrompts, dataset.Train.Select(r => (long)r.Label).ToList(), o, tokenizer.PadId, ctx.Seed, ctx.Device, ctx.Progress, events);
        }
        AtomicFile.WriteAllText(output.CurvesFile, JsonSerializer.Serialize(new
        {
            pretrain = pretrain.Points.Select(p => new { step = p.Step, loss = p.Loss, lr = p.LearningRate }),
            finetune = finetune.Points.Select(p => new { step = p.Step, loss = p.Loss, lr = p.LearningRate }),
        }, Profile.JsonOptions));
        model.Module.cpu();
        model.Save(output.ModelDir);
        // Keep the fine-tuned folder loadable by transformers with its tokenizer.
        if (pretrained is not null) TokenizerFolder.Copy(pretrained, output.ModelDir);
        model.Module.to(ctx.Device);

        var metrics = new List<MetricRecord>();
        var confusion = new Dictionary<string, int[][]>();
        foreach (var (split, rows) in new[] { ("train", dataset.Train), ("test", dataset.Test) })
        {
            var prompts = split == "train" ? trainPrompts : PromptEncoding.FullPrompts(model, rows, template, tokenizer);
            using var pass = DecisionPass.Run(model, prompts, model.Shape.NumLayers, labelTokens, tokenizer.PadId,
                o.EvalBatchSize, o.MaxLength, ctx.Device, ctx.Progress, $"evaluate classifier ({split})", softPrompt);
            var predicted = pass.Predictions();
            output.SavePredictedLabels(split, predicted);
            var scores = ClassificationMetrics.Compute(predicted, rows.Select(r => (long)r.Label).ToArray(), dataset.ClassCount);
            AtomicFile.WriteAllText(output.MetricsFile(split), scores.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            ctx.Log($"classifier accuracy on {split}: {scores.Accuracy:F4}");
            metrics.Add(new MetricRecord($"llm_accuracy_{split}", scores.Accuracy, split));
            foreach (var c in scores.PerClass)
            {
                metrics.Add(new MetricRecord("llm_recall", c.Recall, split, Class: c.Class));
                metrics.Add(new MetricRecord("llm_precision", c.Precision, split, Class: c.Class));
                metrics.Add(new MetricRecord("llm_f1_score", c.F1, split, Class: c.Class));
            }
            confusion[split] = ConfusionMatrixFile.Count(predicted, rows.Select(r => (long)r.Label).ToArray(), dataset.ClassCount);
        }
        ConfusionMatrixFile.Write(output.Folder, confusion);
        if (!modelSpec.FineTuned) metrics.Add(new MetricRecord(softPrompt is null ? "finetune_final_loss" : "soft_prompt_final_loss", finetune.LastLoss, "train"));
        softPrompt?.Dispose();
        return metrics;
    }

    /// <summary>
    /// Soft-prompt alignment (spec 04 §3.3): the model stays frozen and a prompt of <c>tokens</c> vectors is trained in front of
    /// the train prompts (they keep the right-most max_length − tokens tokens). Its curve stands in for the fine-tuning curve.
    /// </summary>
    private static (Tensor Prompt, TrainingCurve Curve) TrainSoftPrompt(RunContext ctx, PipelineKey key, ModelSpec spec, IClassifierBackbone model,
        IReadOnlyList<int[]> trainPrompts, TextDataset dataset, IReadOnlyList<int> labelTokens, int padId, ITrainingLog events)
    {
        if (model is not Backbones.Decoders.CausalDecoder decoder)
            throw new UserError($"models.{key.Model}.alignment = 'soft_prompt' needs a decoder family (llama, mistral, qwen2, gptj), not {model.Shape.Family}");
        var settings = spec.SoftPrompt ?? new SoftPromptSettings();
        var maxLength = Math.Max(1, ctx.Profile.FineTune.MaxLength - settings.Tokens);
        ctx.Log($"model '{key.Model}' is aligned by a soft prompt: {settings.Tokens} vectors, {settings.Steps} steps, the model frozen");
        var result = SoftPromptTrainer.Train(decoder, trainPrompts, dataset.Train.Select(r => (long)r.Label).ToList(), labelTokens, settings,
            padId, maxLength, ctx.Seed, ctx.Device, ctx.Progress, events);
        return (result.Prompt, result.Curve);
    }

    /// <summary>One line on what pretraining will cost before it starts, and a warning where the vocabulary dominates it.</summary>
    private static void LogPretrainCost(RunContext ctx, IClassifierBackbone model, IReadOnlyList<int[]> texts, FineTuneOptions o, bool compact)
    {
        var positions = Math.Min(o.MaxLength, texts.Count == 0 ? 0 : texts.Max(t => t.Length));
        var cost = new PretrainCost(model.Shape.VocabSize, Math.Min(o.PretrainBatchSize, texts.Count), positions, model.Shape.HiddenSize, model.Shape.NumLayers);
        ctx.Log(cost.Describe());
        if (cost.IsLarge)
            ctx.Log("warning: the vocabulary dominates pretraining's time and memory; " + (compact
                ? $"lower fine_tune.vocab_limit (now {(o.VocabLimit == 0 ? "none" : o.VocabLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))}), pretrain_batch_size or max_length"
                : "lower fine_tune.pretrain_batch_size or max_length"));
    }

    /// <param name="modelClassNames">a fine-tuned classifier's id2label names, which a files data set's labels map through</param>
    public static TextDataset LoadDataset(RunContext ctx, string name, IReadOnlyList<string>? modelClassNames = null)
    {
        var spec = ctx.Profile.Datasets[name];
        return spec.Source switch
        {
            "planted" => PlantedCorpus.Generate(new PlantedCorpusOptions(spec.Classes, spec.SubTopicsPerClass, spec.TrainSize, spec.TestSize, ctx.Seed)),
            "files" => FilesSource(ctx, name, modelClassNames).Load(),
            _ => throw new UserError($"data set source '{spec.Source}' is not supported"),
        };
    }

    public static FileDatasetSource FilesSource(RunContext ctx, string name, IReadOnlyList<string>? modelClassNames = null)
    {
        var spec = ctx.Profile.Datasets[name];
        return new FileDatasetSource(name, Path.Combine(ctx.DataDir, spec.Train!), Path.Combine(ctx.DataDir, spec.Test!),
            spec.TextColumn, spec.LabelColumn, modelClassNames ?? spec.ClassNames ?? [],
            spec.HubId is null ? null : HubDatasetDownload.Command(spec.HubId, spec.Train!, ctx.DataDir),
            spec.TestExtra?.Select(p => Path.Combine(ctx.DataDir, p)).ToList());
    }

    /// <summary>A fine-tuned classifier's classes (config.json id2label); a data set that also names classes must name the same ones.</summary>
    private static IReadOnlyList<string>? ModelClassNames(string folder, DatasetSpec spec)
    {
        IReadOnlyList<string>? names;
        try { names = ClassifierLabels.Read(folder); }
        catch (InvalidDataException e) { throw new UserError(e.Message); }
        if (names is null)
            return spec.ClassNames ?? throw new UserError($"{Path.Combine(folder, "config.json")}: no id2label, and the data set names no class_names");
        if (spec.ClassNames is { } listed && !listed.SequenceEqual(names))
            throw new UserError($"{Path.Combine(folder, "config.json")}: id2label names [{string.Join(", ", names)}] but the data set's class_names are [{string.Join(", ", listed)}]");
        return spec.Source == "files" ? names : null;
    }

    /// <summary>The scratch model of the smoke run: a backbone of the profile's family and sizes, initialised from the seed.</summary>
    private static IClassifierBackbone CreateModel(ModelSpec spec, int vocab, long seed) => BackboneRegistry.CreateScratch(spec.ScratchFamily,
        new ScratchShape(vocab, spec.HiddenSize, spec.NumLayers, spec.NumHeads, spec.IntermediateSize, spec.RotaryPct, spec.MaxPositions), seed);
}
