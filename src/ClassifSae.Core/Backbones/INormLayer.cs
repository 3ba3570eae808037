namespace ClassifSae.Backbones;

/// <summary>
/// Marks a normalisation layer of our own (as transformers registers its RMSNorm classes in <c>ALL_LAYERNORM_LAYERS</c>):
/// its parameters get no weight decay (FineTuning.WeightDecayGroups). TorchSharp's LayerNorm is
/// recognised by its type.
/// </summary>
public interface INormLayer;
