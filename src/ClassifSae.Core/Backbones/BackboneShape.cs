namespace ClassifSae.Backbones;

/// <summary>The sizes the pipeline reads from a backbone's config.json, without loading its weights.</summary>
/// <param name="Family">the registry's model_type (<c>gpt_neox</c>, ...)</param>
/// <param name="DecisionHookLayer">the block whose input is cached (the paper: the last block)</param>
/// <param name="HookName">the TransformerLens-style name of that state, recorded with every cache and method</param>
public sealed record BackboneShape(string Family, int VocabSize, int HiddenSize, int NumLayers, int DecisionHookLayer, string HookName);
