namespace ClassifSae.Backbones;

/// <summary>A backbone whose blocks can be recomputed in backward instead of storing their activations (HF's <c>gradient_checkpointing_enable</c>).</summary>
public interface IGradientCheckpointing
{
    /// <summary>Checkpoint every block while training (no effect in eval mode or without autograd, as in transformers).</summary>
    bool GradientCheckpointing { get; set; }
}
