using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GradientFusion;

/// <summary>
/// x · Wᵀ (a bias-free linear layer) whose backward adds gᵀ·x into W's existing gradient in one GEMM (addmm_, Megatron's
/// "gradient accumulation fusion"), instead of materialising the [V, D] weight gradient and then adding it. For the
/// unembedding of a few decision rows that gradient is a 103 MB outer product (Pythia-70m) written twice and read twice
/// per step. Without a gradient buffer on W it returns the ordinary gradient.
/// </summary>
public sealed class AccumulatingLinear : autograd.SingleTensorFunction<AccumulatingLinear>
{
    public override string Name => nameof(AccumulatingLinear);

    private static long _fusedBackwards;

    /// <summary>How many backward passes accumulated in place (diagnostics: proves the fused path ran).</summary>
    internal static long FusedBackwards => Interlocked.Read(ref _fusedBackwards);

    /// <summary>[.., D] → [.., V]: the same values as nn.functional.linear(x, weight).</summary>
    public static Tensor Apply(Tensor x, Tensor weight) => apply(x, weight);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weight) = ((Tensor)vars[0], (Tensor)vars[1]);
        // Saved as a variable, not as the managed wrapper: a leaf unpacks to the same tensor, so its .grad is the buffer.
        ctx.save_for_backward([x, weight]);
        return nn.functional.linear(x, weight);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (x, weight) = (saved[0], saved[1]);
        using var _ = no_grad();
        var g = gradOutput.reshape(-1, gradOutput.size(-1));      // [R, V]
        var rows = x.reshape(-1, x.size(-1));                      // [R, D]
        var gradInput = g.matmul(weight).view(x.shape);
        if (!weight.requires_grad) return [gradInput, null!];   // a frozen head (soft-prompt training): no weight gradient at all
        using var existing = weight.grad;
        if (existing is not null && existing.dtype == g.dtype)
        {
            existing.addmm_(g.t(), rows);
            Interlocked.Increment(ref _fusedBackwards);
            return [gradInput, null!];
        }
        return [gradInput, g.t().matmul(rows)];
    }
}
