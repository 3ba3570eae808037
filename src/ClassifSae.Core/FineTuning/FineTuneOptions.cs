using ClassifSae.FineTuning.Precision;
using System.Text.Json.Serialization;
using ClassifSae.Settings;

namespace ClassifSae.FineTuning;

/// <summary>Hyperparameters of the classifier fine-tuning (and of the optional causal-LM pretraining the smoke run uses).</summary>
public sealed record FineTuneOptions
{
    /// <summary>Causal-LM steps on the raw training texts before fine-tuning (0 = start from the given weights, as with Pythia).</summary>
    public int PretrainSteps { get; init; }
    public double PretrainLearningRate { get; init; } = 1e-3;
    public int PretrainBatchSize { get; init; } = 32;

    /// <summary>
    /// A scratch model's compact vocabulary keeps at most this many tokens (the corpus's most frequent; the rest read as
    /// unknown), since causal-LM pretraining scores the whole vocabulary at every position. 0 = no limit.
    /// </summary>
    public int VocabLimit { get; init; } = DefaultVocabLimit;

    public const int DefaultVocabLimit = 8192;

    /// <summary>Pad, unknown and the ten label digits.</summary>
    public const int MinVocabLimit = 12;

    public int Steps { get; init; } = 30_000;
    public int BatchSize { get; init; } = 2;
    public double LearningRate { get; init; } = 2e-6;
    public int WarmupSteps { get; init; } = 500;
    public double WeightDecay { get; init; } = 0.01;
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Keep only the last this-many tokens of a prompt (the model context).</summary>
    public int MaxLength { get; init; } = 2048;
    public int EvalBatchSize { get; init; } = 32;

    // The three scale options are omitted from the stage identity while unset, so profiles that do not use them keep their runs.
    /// <summary>"fp32" (null = default), "fp16-mixed" (float32 masters, float16 copy, dynamic loss scaling) or "bf16" (spec 04 §3.2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Precision { get; init; }

    /// <summary>Recompute each block's activations in backward instead of keeping them (HF's gradient_checkpointing_enable).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool GradientCheckpointing { get; init; }

    /// <summary>"adamw" (float32 moments; null = default) or "adamw-8bit" (bitsandbytes' block-wise 8-bit moments, HF's adamw_bnb_8bit).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Optimizer { get; init; }

    public const string AdamW = "adamw";
    public const string AdamW8bit = "adamw-8bit";

    [JsonIgnore] public string TrainingPrecisionName => Precision ?? TrainingPrecision.Fp32;

    [JsonIgnore] public bool EightBitOptimizer => Optimizer == AdamW8bit;

    public const string Section = "fine_tune";

    public void Check(SettingsCheck check)
    {
        var c = check.Section(Section);
        c.AtLeast("pretrain_steps", PretrainSteps, 0);
        c.Positive("pretrain_learning_rate", PretrainLearningRate);
        c.AtLeast("pretrain_batch_size", PretrainBatchSize, 1);
        c.Require(VocabLimit == 0 || VocabLimit >= MinVocabLimit, "vocab_limit", $"= {SettingsCheck.Show(VocabLimit)} must be 0 (no limit) or at least {MinVocabLimit} (pad, unknown and the label digits)");
        c.AtLeast("steps", Steps, 1);
        c.AtLeast("batch_size", BatchSize, 1);
        c.Positive("learning_rate", LearningRate);
        c.AtLeast("warmup_steps", WarmupSteps, 0);
        c.NonNegative("weight_decay", WeightDecay);
        c.Positive("max_grad_norm", MaxGradNorm);
        c.AtLeast("max_length", MaxLength, 1);
        c.AtLeast("eval_batch_size", EvalBatchSize, 1);
        if (Precision is not null) c.OneOf("precision", Precision, TrainingPrecision.Names);
        if (Optimizer is not null) c.OneOf("optimizer", Optimizer, AdamW, AdamW8bit);
    }
}
