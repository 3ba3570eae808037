using static TorchSharp.torch;

namespace ClassifSae.Concepts.Ica;

/// <summary>
/// A fitted FastICA: <c>components_</c> (unmixing, [m, d]), <c>mixing_</c> = pinv(components_) ([d, m]) and the
/// training mean [d], all fp32. Encode a = W(x − μ); decode x̂ = A ã + μ (spec 02 §2.1).
/// </summary>
public sealed class IcaModel(Tensor components, Tensor mixing, Tensor mean, int iterations, bool converged) : IDisposable
{
    public Tensor Components { get; } = components;
    public Tensor Mixing { get; } = mixing;
    public Tensor Mean { get; } = mean;
    public int Iterations { get; } = iterations;
    public bool Converged { get; } = converged;
    public int NComponents => (int)Components.size(0);
    public int DIn => (int)Components.size(1);

    /// <summary>Sources [B, m] = (x − μ) Wᵀ.</summary>
    public Tensor Encode(Tensor x) => (x - Mean).matmul(Components.t());

    /// <summary>Reconstruction [B, d] = ã Aᵀ + μ.</summary>
    public Tensor Decode(Tensor a) => a.matmul(Mixing.t()) + Mean;

    public void Dispose()
    {
        Components.Dispose();
        Mixing.Dispose();
        Mean.Dispose();
    }
}
