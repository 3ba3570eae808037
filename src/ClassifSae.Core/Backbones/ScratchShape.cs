namespace ClassifSae.Backbones;

/// <summary>The sizes of a backbone built from a seed rather than loaded (the smoke run's tiny models).</summary>
public sealed record ScratchShape(int VocabSize, int HiddenSize, int NumLayers, int NumHeads, int IntermediateSize,
    double RotaryPct, int MaxPositions);
