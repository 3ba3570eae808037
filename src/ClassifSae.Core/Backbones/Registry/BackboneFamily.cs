using static TorchSharp.torch;
namespace ClassifSae.Backbones.Registry;

/// <summary>One registry line: the config.json <c>model_type</c> and <c>architectures</c> a family reads, and how to load it.</summary>
/// <param name="Load">folder → backbone with its weights</param>
/// <param name="ReadShape">config.json path → sizes, without weights</param>
public sealed record BackboneFamily(string ModelType, IReadOnlyList<string> Architectures,
    Func<string, IClassifierBackbone> Load, Func<string, BackboneShape> ReadShape)
{
    /// <summary>Pretrained architectures FineTune may start from besides <see cref="Architectures"/> (an encoder without its classification head).</summary>
    public IReadOnlyList<string> BaseArchitectures { get; init; } = [];

    /// <summary>How FineTune starts a classifier from a pretrained folder (new head, hook); null: <see cref="Load"/> as is, no hook choice.</summary>
    public Func<string, ClassifierStart, IClassifierBackbone>? Start { get; init; }

    /// <summary>folder → backbone loaded straight into a half-precision dtype (null: the family computes in float32 only).</summary>
    public Func<string, ScalarType, IClassifierBackbone>? LoadIn { get; init; }

    /// <summary>A randomly initialised model of the given sizes from a seed, for families that offer one (profile models with <c>source: scratch</c>).</summary>
    public Func<ScratchShape, long, IClassifierBackbone>? Scratch { get; init; }

    public override string ToString() => $"{ModelType} ({string.Join(", ", Architectures.Concat(BaseArchitectures))})";
}
