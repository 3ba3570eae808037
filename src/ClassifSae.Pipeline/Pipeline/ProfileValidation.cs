using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Concepts;
using ClassifSae.Data;
using ClassifSae.Settings;

namespace ClassifSae.Pipeline;

/// <summary>
/// Every rule a profile's keys obey, each problem one line naming the key path and its allowed range. Run by the
/// profile loader on the profile and on every grid cell (overrides applied), and again by the preflight once a
/// Hugging Face model's width is known, so bad settings stop the run before any stage starts.
/// </summary>
public static class ProfileValidation
{
    /// <summary>The results store keeps seeds as 32-bit integers; the RNGs take any non-negative value up to this.</summary>
    public const long MaxSeed = int.MaxValue;

    /// <summary>A machine-independent bound for the profile's <c>threads</c> (the machine's own bound: <see cref="MaxThreadsHere"/>).</summary>
    public const int MaxProfileThreads = 1024;

    /// <summary>More intra-op threads than this only oversubscribes the cores (100 000 stalls the machine).</summary>
    public static int MaxThreadsHere => Math.Min(MaxProfileThreads, 4 * Environment.ProcessorCount);

    /// <summary>The keys that do not depend on the grid cell's model width or data size.</summary>
    public static void Check(Profile p, SettingsCheck c)
    {
        c.Require(!string.IsNullOrWhiteSpace(p.Name) && p.Name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) < 0 && p.Name is not ("." or ".."),
            "name", $"= '{p.Name}' must be a plain folder name (it names the run folder)");
        c.InRange("seed", p.Seed, 0, MaxSeed);
        c.InRange("threads", p.Threads, 0, MaxProfileThreads);
        c.OneOf("method_version", p.MethodVersion, [.. global::ClassifSae.Settings.MethodVersion.All]);
        c.Require(p.Models.Count > 0, "models", "must name at least one model");
        c.Require(p.Datasets.Count > 0, "datasets", "must name at least one data set");
        foreach (var (name, m) in p.Models) CheckModel(m, c.Section("models").Section(name));
        // Bring your own classifier: its id2label names the classes, so a files data set need not.
        var classesFromModels = p.Models.Count > 0 && p.Models.Values.All(m => m.FineTuned);
        foreach (var (name, d) in p.Datasets) CheckDataset(d, c.Section("datasets").Section(name), classesFromModels);
        p.FineTune.Check(c);
        var cache = c.Section("cache");
        cache.AtLeast("rows_per_shard", p.Cache.RowsPerShard, 1);
        cache.AtLeast("batch_size", p.Cache.BatchSize, 1);
        var unknown = p.Methods.Where(m => !ConceptMethods.Keys.Contains(m)).ToList();
        c.Require(unknown.Count == 0, "methods", $"names unknown method(s) {string.Join(", ", unknown)} (known: {string.Join(", ", ConceptMethods.Keys)})");
        c.Require(p.Methods.Count > 0, "methods", "must name at least one concept method");
        // Every method's section, whether or not the profile selects it (--methods may): its width- and size-free rules.
        foreach (var key in ConceptMethods.Keys) p.MethodSettings(key).Check(c);
        var e = c.Section("evaluate");
        e.AtLeast("batch_size", p.Evaluate.BatchSize, 1);
        e.AtLeast("top_sentences", p.Evaluate.TopSentences, 1);
        e.Require(!string.IsNullOrWhiteSpace(p.Evaluate.SentenceEncoder), "sentence_encoder", "must not be empty");
        foreach (var (stage, r) in p.Slurm.Stages)
        {
            var s = c.Section("slurm").Section("stages").Section(stage);
            s.AtLeast("cpus", r.Cpus, 1);
            s.AtLeast("gpus", r.Gpus, 0);
        }
    }

    /// <summary>
    /// The rules that need the hook width <paramref name="dIn"/> (d_sae = expansion_factor · d_in) or the training rows,
    /// for the concept methods a cell trains; either may be unknown (null) until the model's config or the data is read.
    /// </summary>
    public static void CheckMethods(Profile cell, IEnumerable<string> methods, int? dIn, long? trainRows, SettingsCheck c)
    {
        foreach (var key in methods) cell.MethodSettings(key).Check(c, dIn, trainRows);
    }

    /// <summary>The hook width of a scratch model (a Hugging Face model's is known once its config.json is read).</summary>
    public static int? KnownWidth(ModelSpec m) => m.Source == "scratch" ? m.HiddenSize : null;

    /// <summary>Training rows of a planted data set (a files data set's are known once it is read).</summary>
    public static long? KnownTrainRows(DatasetSpec d) => d.Source == "planted" ? d.TrainSize : null;

    private static void CheckModel(ModelSpec m, SettingsCheck c)
    {
        c.OneOf("source", m.Source, "scratch", "hf");
        c.Require(m.Source != "hf" || !string.IsNullOrWhiteSpace(m.Path), "path", "is required when source is 'hf'");
        if (m.Source == "scratch")
            c.OneOf("family", m.ScratchFamily, [.. Backbones.Registry.BackboneRegistry.ScratchFamilies]);
        c.AtLeast("num_heads", m.NumHeads, 1);
        c.Require(m.HiddenSize > 0 && m.NumHeads > 0 && m.HiddenSize % m.NumHeads == 0, "hidden_size",
            $"= {m.HiddenSize} must be a positive multiple of num_heads = {m.NumHeads}");
        c.AtLeast("num_layers", m.NumLayers, 2); // the hook is the input of the last block
        c.AtLeast("intermediate_size", m.IntermediateSize, 1);
        c.Require(m.RotaryPct is >= 0 and <= 1, "rotary_pct", $"= {SettingsCheck.Show(m.RotaryPct)} must be in [0, 1]");
        c.AtLeast("max_positions", m.MaxPositions, 1);
        if (m.HookLayer is { } layer) c.AtLeast("hook_layer", layer, 0);
        if (m.HookToken is { } token) c.OneOf("hook_token", token, [.. Backbones.SequenceClassifiers.EncoderHook.Tokens]);
        c.Require(m.Source == "hf" || !m.FineTuned, "fine_tuned", "applies to a Hugging Face classifier folder (source 'hf')");
        if (m.Alignment is not null) c.OneOf("alignment", m.Alignment, ModelSpec.FineTuneAlignment, ModelSpec.SoftPromptAlignment);
        if (m.ComputeDtype is not null) c.OneOf(Stages.InferenceDtype.Key, m.ComputeDtype, [.. Backbones.ComputeDtype.Names]);
        c.Require(!(m.SoftPrompted && m.FineTuned), "alignment", "'soft_prompt' trains a prompt for a frozen model; fine_tuned models are used as they are");
        c.Require(m.SoftPrompt is null || m.SoftPrompted, "soft_prompt", "applies with alignment 'soft_prompt'");
        if (m.SoftPrompt is { } sp)
        {
            var s = c.Section("soft_prompt");
            s.AtLeast("tokens", sp.Tokens, 1);
            s.AtLeast("steps", sp.Steps, 1);
            s.AtLeast("batch_size", sp.BatchSize, 1);
            s.Positive("learning_rate", sp.LearningRate);
            s.Require(sp.EndFactor is > 0 and <= 1, "end_factor", $"= {SettingsCheck.Show(sp.EndFactor)} must be in (0, 1]");
            s.NonNegative("weight_decay", sp.WeightDecay);
        }
        c.Require(m.Source == "hf" || (m.HookLayer is null && m.HookToken is null), "hook_layer",
            "and hook_token apply to Hugging Face encoder classifiers (source 'hf'), not to scratch models");
    }

    private static void CheckDataset(DatasetSpec d, SettingsCheck c, bool classesFromModels)
    {
        c.OneOf("source", d.Source, "planted", "files");
        if (d.Source == "planted")
        {
            var maxClasses = PlantedVocabulary.Classes.Count;
            c.InRange("classes", d.Classes, 2, maxClasses, "the planted corpus's classes");
            var maxSub = PlantedVocabulary.Classes.Min(x => x.SubTopics.Count);
            c.InRange("sub_topics_per_class", d.SubTopicsPerClass, 1, maxSub, "the planted corpus's sub-topics");
            // Balance needs every (class, sub-topic) cell in both splits.
            var cells = (long)d.Classes * d.SubTopicsPerClass;
            c.Require(d.TrainSize >= cells, "train_size", $"= {d.TrainSize} must be at least classes × sub_topics_per_class = {cells}");
            c.Require(d.TestSize >= cells, "test_size", $"= {d.TestSize} must be at least classes × sub_topics_per_class = {cells}");
        }
        else if (d.Source == "files")
        {
            c.Require(!string.IsNullOrWhiteSpace(d.Train), "train", "(a file pattern) is required for source 'files'");
            c.Require(!string.IsNullOrWhiteSpace(d.Test), "test", "(a file pattern) is required for source 'files'");
            c.Require(d.TestExtra is null || d.TestExtra.All(p => !string.IsNullOrWhiteSpace(p)), "test_extra", "must list file patterns (no empty entry)");
            c.Require(d.ClassNames is { Length: >= 2 and <= 10 } || (d.ClassNames is null && classesFromModels), "class_names",
                "must list 2 to 10 classes for source 'files' (or every model must be fine_tuned, whose id2label names them)");
            c.Require(!string.IsNullOrWhiteSpace(d.TextColumn), "text_column", "must not be empty");
            c.Require(!string.IsNullOrWhiteSpace(d.LabelColumn), "label_column", "must not be empty");
        }
        c.Require(!string.IsNullOrWhiteSpace(d.Tokenizer), "tokenizer", "must not be empty");
    }
}
