namespace ClassifSae.Backbones.Registry;

/// <summary>One registry line: the config.json <c>model_type</c> and <c>architectures</c> a family reads, and how to load it.</summary>
/// <param name="Load">folder → backbone with its weights</param>
/// <param name="ReadShape">config.json path → sizes, without weights</param>
public sealed record BackboneFamily(string ModelType, IReadOnlyList<string> Architectures,
    Func<string, IClassifierBackbone> Load, Func<string, BackboneShape> ReadShape)
{
    /// <summary>A randomly initialised model of the given sizes from a seed, for families that offer one (profile models with <c>source: scratch</c>).</summary>
    public Func<ScratchShape, long, IClassifierBackbone>? Scratch { get; init; }

    public override string ToString() => $"{ModelType} ({string.Join(", ", Architectures)})";
}
