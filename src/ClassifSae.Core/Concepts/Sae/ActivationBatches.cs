using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>One training batch: X [B,d_in] float32 activations and y [B] int64 LLM-predicted labels.</summary>
public sealed record ActivationBatch(Tensor X, Tensor Y);

/// <summary>An endless source of full training batches; the trainer pulls one per step.</summary>
public interface IActivationBatches
{
    int DIn { get; }
    int BatchSize { get; }
    ActivationBatch Next();
}
