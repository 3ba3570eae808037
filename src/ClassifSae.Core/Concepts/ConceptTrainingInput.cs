using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Concepts;

/// <summary>Where the concepts come from, recorded in the saved folders.</summary>
public sealed record ConceptProvenance(string ModelName, string HookName, string Dataset, int? ContextSize = null);

/// <summary>
/// Everything a method trains from: the cached train-split states X [N, d] (fp32), the LLM's predicted labels, and
/// for methods trained through the model, <see cref="LabelLogits"/>: x̂ [B, d] → label-token logits [B, C] of the
/// remaining block (differentiable, weights frozen). The states are loaded only when a method reads <see cref="Hidden"/>:
/// ClassifSAE with the faithful loader streams from the shards and never does, so its memory stays bounded by a shard.
/// </summary>
public sealed record ConceptTrainingInput
{
    private Tensor? _hidden;
    private int? _dIn;

    /// <summary>X [N, d]; given directly, or loaded by <see cref="HiddenLoader"/> on first use.</summary>
    public Tensor Hidden
    {
        get => _hidden ??= (HiddenLoader ?? throw new InvalidOperationException("no train states and no loader for them"))();
        init => _hidden = value;
    }

    public Func<Tensor>? HiddenLoader { get; init; }

    /// <summary>The state width d; known without loading the states when given.</summary>
    public int DIn
    {
        get => _dIn ?? (int)Hidden.size(1);
        init => _dIn = value;
    }

    public required long[] Predicted { get; init; }
    public required int Classes { get; init; }
    /// <summary>The method's own settings record (bound from the profile by the pipeline).</summary>
    public required IMethodSettings Settings { get; init; }
    public required long Seed { get; init; }
    /// <summary><see cref="Settings.MethodVersion"/>: the paper's method (default) or upstream's current one (spec 04).</summary>
    public string MethodVersion { get; init; } = global::ClassifSae.Settings.MethodVersion.Paper2025;
    public required ConceptProvenance Provenance { get; init; }
    public Func<Tensor, Tensor>? LabelLogits { get; init; }
    /// <summary>The train split's activation shards (original layout), for the faithful half-file SAE loader.</summary>
    public string? ActivationsFolder { get; init; }
    /// <summary>Rows per shard of <see cref="ActivationsFolder"/>; the faithful loader reads half a shard at a time.</summary>
    public int RowsPerShard { get; init; }
    /// <summary>Where the SAE methods train (the data stays on the CPU and is moved batch by batch); CPU by default.</summary>
    public Device Device { get; init; } = CPU;
    public IProgressSink Progress { get; init; } = SilentProgress.Instance;
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Where the training loop writes its curve's scalars as it records them (the pipeline: TensorBoard event files).</summary>
    public ITrainingLog TrainingLog { get; init; } = NoTrainingLog.Instance;

    /// <summary>The settings as the method's own record type.</summary>
    public T SettingsOf<T>() where T : IMethodSettings =>
        Settings is T t ? t : throw new ArgumentException($"expected {typeof(T).Name} settings, got {Settings.GetType().Name}");
}
