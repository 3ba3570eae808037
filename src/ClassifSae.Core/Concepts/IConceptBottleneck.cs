namespace ClassifSae.Concepts;

using static TorchSharp.torch;

/// <summary>
/// What a concept method must offer evaluation: activations for hidden states, and a reconstruction from
/// activations in which only the selected features are kept (spec 02 §4.1).
/// </summary>
public interface IConceptBottleneck
{
    /// <summary>Unmasked concept activations [B, F].</summary>
    Tensor Activations(Tensor hidden);

    /// <summary>Reconstructed hidden states [B, D] from the activations of <paramref name="hidden"/> with every feature outside <paramref name="keep"/> (bool [F]) set to 0.</summary>
    Tensor ReconstructMasked(Tensor hidden, Tensor keep);

    /// <summary>Concept directions in hidden space, one row per feature [F, D] (for diversity and figures).</summary>
    Tensor Directions();
}
