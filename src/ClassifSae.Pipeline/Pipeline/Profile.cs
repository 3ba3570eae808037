using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Concepts;
using ClassifSae.FineTuning;

namespace ClassifSae.Pipeline;

/// <summary>
/// A run profile: the one declarative file (build/profiles/NAME.json) where a run's hyperparameters live.
/// Unknown keys are errors, so a typo never silently falls back to a default (the loader refuses top-level keys that
/// are neither a field here nor a concept method's section).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)] // unmapped keys land in MethodSections, checked by the loader
public sealed record Profile
{
    [JsonRequired] public required string Name { get; init; }
    public string Description { get; init; } = "";
    public long Seed { get; init; } = 42;
    public int Threads { get; init; }
    /// <summary><c>paper-2025</c> (d5286e9, the default) or <c>upstream-2026</c> (bc50f40, spec 04): which version of the method Train and Evaluate run.</summary>
    public string MethodVersion { get; init; } = global::ClassifSae.Settings.MethodVersion.Paper2025;
    public Dictionary<string, ModelSpec> Models { get; init; } = [];
    public Dictionary<string, DatasetSpec> Datasets { get; init; } = [];
    public FineTuneOptions FineTune { get; init; } = new();
    public CacheSpec Cache { get; init; } = new();
    /// <summary>Concept methods trained and evaluated (keys of <see cref="ConceptMethods"/>); every registered one by default.</summary>
    public List<string> Methods { get; init; } = [.. ConceptMethods.Keys];
    /// <summary>
    /// Each concept method's section (<c>classif_sae</c>, <c>sae</c>, <c>ica</c>, <c>concept_shap</c>, ...: whatever
    /// <see cref="ConceptMethods"/> registers), as written; read as the method's own record by <see cref="Section"/>.
    /// </summary>
    [JsonExtensionData] public Dictionary<string, JsonElement> MethodSections { get; init; } = [];
    public EvaluateSpec Evaluate { get; init; } = new();
    public SlurmSpec Slurm { get; init; } = new();
    /// <summary>Per-cell changes, applied in order (see <see cref="ProfileOverride"/>).</summary>
    public List<ProfileOverride> Overrides { get; init; } = [];

    /// <summary>The settings of one (model, data set) cell: every matching override applied.</summary>
    public Profile For(string model, string dataset) =>
        Overrides.Where(o => o.Matches(model, dataset, MethodVersion)).Aggregate(this, (p, o) => o.ApplyTo(p)) with { Overrides = [] };

    internal static JsonSerializerOptions JsonOptions => Formats.SnakeCaseJson.Options;

    /// <summary>Section <paramref name="name"/> as a <paramref name="type"/> record; the record's defaults when the profile omits it.</summary>
    public object Section(string name, Type type) =>
        MethodSections.TryGetValue(name, out var json)
            ? json.Deserialize(type, JsonOptions) ?? throw new JsonException($"section '{name}' is null")
            : Activator.CreateInstance(type)!;

    /// <summary>The settings record <typeparamref name="T"/> as this profile sets it (found by its registered section).</summary>
    public T Settings<T>() where T : notnull =>
        (T)Section(ConceptMethods.Sections.FirstOrDefault(s => s.SettingsType == typeof(T))?.Name
                   ?? throw new ArgumentException($"{typeof(T).Name} is not a registered method section"), typeof(T));

    /// <summary>This profile with <paramref name="settings"/> as its (registered) section.</summary>
    public Profile With(object settings)
    {
        var name = ConceptMethods.Sections.FirstOrDefault(s => s.SettingsType == settings.GetType())?.Name
                   ?? throw new ArgumentException($"{settings.GetType().Name} is not a registered method section");
        return this with { MethodSections = new(MethodSections) { [name] = JsonSerializer.SerializeToElement(settings, settings.GetType(), JsonOptions) } };
    }

    /// <summary>This profile with every registered section written out in full (defaults filled), as hashed and stored.</summary>
    public Profile Canonical()
    {
        var sections = new Dictionary<string, JsonElement>();
        foreach (var s in ConceptMethods.Sections)
            sections[s.Name] = JsonSerializer.SerializeToElement(Section(s.Name, s.SettingsType), s.SettingsType, JsonOptions);
        foreach (var (name, json) in MethodSections.Where(kv => !sections.ContainsKey(kv.Key))) sections[name] = json;
        return this with { MethodSections = sections };
    }
}

/// <summary>A backbone: built from scratch (the smoke run's tiny GPT-NeoX) or loaded from a Hugging Face folder.</summary>
public sealed record ModelSpec
{
    /// <summary><c>scratch</c> (initialised from the seed) or <c>hf</c> (a local Hugging Face folder or hub id).</summary>
    public string Source { get; init; } = "scratch";
    public string? Path { get; init; }
    /// <summary>For <c>scratch</c>: the backbone family (a registry model_type such as <c>gpt_neox</c>); GPT-NeoX when absent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Family { get; init; }
    [JsonIgnore] public string ScratchFamily => Family ?? "gpt_neox";
    public int HiddenSize { get; init; } = 64;
    public int NumLayers { get; init; } = 3;
    public int NumHeads { get; init; } = 4;
    public int IntermediateSize { get; init; } = 256;
    public double RotaryPct { get; init; } = 0.25;
    public int MaxPositions { get; init; } = 128;
    /// <summary>Encoders: the layer whose output is cached (0 = embeddings; null = the last layer, upstream's choice).</summary>
    // Omitted when unset, so profiles that do not name a hook keep their stage identities.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? HookLayer { get; init; }
    /// <summary>Encoders: <c>cls</c> (upstream) or <c>mean</c> (the average over real tokens); null = <c>cls</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? HookToken { get; init; }
    /// <summary>
    /// <c>path</c> is an already fine-tuned classifier (bring your own): FineTune trains nothing, it evaluates the classifier as it is
    /// and saves what later stages read; a files data set may then omit class_names (they come from config.json's id2label).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool FineTuned { get; init; }
    /// <summary>
    /// How the model becomes a classifier: <c>fine_tune</c> (null: full fine-tuning, fine_tune section) or <c>soft_prompt</c>
    /// (frozen, a trained soft prompt in front of every prompt, spec 04 §3.3; decoder families).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Alignment { get; init; }
    /// <summary>The soft prompt's settings (null: the original's, 10 tokens, 2000 steps, lr 5e-3).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SoftPromptSettings? SoftPrompt { get; init; }

    /// <summary>
    /// The dtype Cache and Evaluate load and run this model in: <c>float32</c> (null), <c>bfloat16</c> or <c>float16</c> (decoder
    /// families; weights load straight into half precision, cached states are written as float32).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ComputeDtype { get; init; }

    public const string FineTuneAlignment = "fine_tune";
    public const string SoftPromptAlignment = "soft_prompt";
    [JsonIgnore] public bool SoftPrompted => Alignment == SoftPromptAlignment;
}

/// <summary>A data set: the built-in planted-concepts corpus, or files (Parquet, CSV, JSON lines) under the data folder.</summary>
public sealed record DatasetSpec
{
    /// <summary><c>planted</c> (generated from the seed) or <c>files</c>.</summary>
    public string Source { get; init; } = "planted";
    /// <summary>For <c>files</c>: glob of the train / test files, relative to the data folder (<c>--data-dir</c>).</summary>
    public string? Train { get; init; }
    public string? Test { get; init; }
    /// <summary>
    /// For <c>files</c>: more patterns whose rows are appended to the test split, in order; upstream's TweetEval test split is the
    /// test rows followed by the validation rows (spec 04 §1). Omitted when unset, so other profiles keep their stage identities.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? TestExtra { get; init; }
    public string TextColumn { get; init; } = "text";
    public string LabelColumn { get; init; } = "label";
    /// <summary>For <c>files</c>: the class names in label order (they appear in the prompt template).</summary>
    public string[]? ClassNames { get; init; }
    /// <summary>Where users can get the files (named in the error when they are missing).</summary>
    public string? HubId { get; init; }

    [JsonIgnore] public int ClassCount => Source == "files" ? ClassNames?.Length ?? 0 : Classes;
    public int Classes { get; init; } = 4;
    public int SubTopicsPerClass { get; init; } = 3;
    public int TrainSize { get; init; } = 4000;
    public int TestSize { get; init; } = 800;
    public string Tokenizer { get; init; } = "cl100k_base";
    /// <summary>The original template has a space before the final newline (d5286e9); HEAD removed it.</summary>
    public bool SpaceBeforeFinalNewline { get; init; } = true;
}

public sealed record CacheSpec
{
    public int RowsPerShard { get; init; } = 24_000;
    public int BatchSize { get; init; } = 4;
}

public sealed record EvaluateSpec
{
    public int BatchSize { get; init; } = 256;
    /// <summary>Sentences listed per concept (top activating).</summary>
    public int TopSentences { get; init; } = 10;
    /// <summary>
    /// Sentence encoder of the interpretability metrics: <c>builtin</c> (TF-IDF + SVD fitted on the training split, no
    /// download) or a Hugging Face sentence-transformers folder / hub id such as <c>sentence-transformers/all-MiniLM-L6-v2</c>.
    /// </summary>
    public string SentenceEncoder { get; init; } = SentenceEncoders.SentenceEncoderFactory.Builtin;
}

/// <summary>Resources of the Slurm job of each stage (<c>--scheduler slurm</c>).</summary>
public sealed record SlurmSpec
{
    public string? Partition { get; init; }
    public string? Account { get; init; }
    /// <summary>Shell lines every job runs before <c>classifsae</c>, e.g. <c>module load cuda/12.1</c>, <c>export HF_HOME=/scratch/hf</c>.</summary>
    public List<string> Setup { get; init; } = [];
    /// <summary>Extra <c>#SBATCH</c> options for every job, e.g. <c>--qos=normal</c>, <c>--constraint=a100</c>.</summary>
    public List<string> ExtraOptions { get; init; } = [];
    public Dictionary<string, SlurmResources> Stages { get; init; } = [];

    public SlurmResources For(string stage) => Stages.TryGetValue(stage, out var r) ? r : new SlurmResources();
}

public sealed record SlurmResources
{
    public int Cpus { get; init; } = 1;
    public int Gpus { get; init; }
    public string Memory { get; init; } = "4G";
    public string Time { get; init; } = "01:00:00";
    /// <summary>Extra <c>#SBATCH</c> options for this stage's jobs, after the profile-wide ones.</summary>
    public List<string> ExtraOptions { get; init; } = [];
}
