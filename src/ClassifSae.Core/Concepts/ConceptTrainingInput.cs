using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Concepts;

/// <summary>Where the concepts come from, recorded in the saved folders.</summary>
public sealed record ConceptProvenance(string ModelName, string HookName, string Dataset);

/// <summary>
/// Everything a method trains from: the cached train-split states X [N, d] (fp32), the LLM's predicted labels, and
/// for methods trained through the model, <see cref="LabelLogits"/>: x̂ [B, d] → label-token logits [B, C] of the
/// remaining block (differentiable, weights frozen).
/// </summary>
public sealed record ConceptTrainingInput
{
    public required Tensor Hidden { get; init; }
    public required long[] Predicted { get; init; }
    public required int Classes { get; init; }
    public required Profile Profile { get; init; }
    public required ConceptProvenance Provenance { get; init; }
    public Func<Tensor, Tensor>? LabelLogits { get; init; }
    /// <summary>The train split's activation shards (original layout), for the faithful half-file SAE loader.</summary>
    public string? ActivationsFolder { get; init; }
    public IProgressSink Progress { get; init; } = SilentProgress.Instance;
    public Action<string> Log { get; init; } = _ => { };

    public long Seed => Profile.Seed;
}
