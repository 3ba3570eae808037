using ClassifSae.Backbones;
using ClassifSae.Backbones.GradientFusion;
using ClassifSae.FineTuning;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// The embedding and unembedding that add their weight gradients into the existing gradient buffer: the same gradient as
/// the plain modules (added to what the buffer held, not overwriting it), the ordinary gradient when there is no buffer,
/// and the same fine-tuning trajectory as the plain GPT-NeoX under FlatAdamW.
/// </summary>
public class GradientAccumulationFusionTests
{
    private static Tensor Ids() => tensor(new long[] { 3, 7, 3, 0, 9, 7, 7, 1 }).view(2, 4);   // repeated rows on purpose

    [Fact]
    public void Embedding_lookup_adds_exactly_the_plain_gradient_into_the_existing_buffer()
    {
        using var gen = new Generator(5);
        using var weight = (randn([10, 6], generator: gen)).requires_grad_(true);
        using var upstream = randn([2, 4, 6], generator: gen);
        using var before = randn([10, 6], generator: gen);

        // Reference: nn.functional's dense path via one-hot (an independent formulation of the same gradient).
        using var reference = nn.functional.one_hot(Ids(), 10).to(ScalarType.Float32).reshape(-1, 10).t().matmul(upstream.reshape(-1, 6));

        weight.grad = before.clone();
        var fusedBefore = AccumulatingEmbedding.FusedBackwards;
        using (var y = AccumulatingEmbedding.Lookup(Ids(), weight)) (y * upstream).sum().backward();
        Assert.True(weight.grad!.allclose(before + reference, rtol: 0, atol: 1e-5));
        Assert.True(AccumulatingEmbedding.FusedBackwards > fusedBefore);   // added in place, not through autograd's accumulation
        using var looked = weight.detach().index_select(0, Ids().flatten()).view(2, 4, 6);
        using var y2 = AccumulatingEmbedding.Lookup(Ids(), weight);
        Assert.True(y2.detach().allclose(looked, rtol: 0, atol: 0));

        // Without a buffer: the ordinary gradient, through autograd.grad as well.
        using var fresh = weight.detach().clone().requires_grad_(true);
        using var z = (AccumulatingEmbedding.Lookup(Ids(), fresh) * upstream).sum();
        var g = autograd.grad([z], [fresh])[0];
        Assert.True(g.allclose(reference, rtol: 0, atol: 1e-5));
        Assert.Equal(0, reference.eq(0).all().item<bool>() ? 1 : 0);   // the reference is not trivially zero
    }

    [Fact]
    public void Linear_adds_exactly_the_plain_weight_gradient_and_returns_the_input_gradient()
    {
        using var gen = new Generator(9);
        using var weight = randn([50, 8], generator: gen).requires_grad_(true);
        using var x0 = randn([3, 8], generator: gen);
        using var upstream = randn([3, 50], generator: gen);
        using var before = randn([50, 8], generator: gen);

        using var plainW = weight.detach().clone().requires_grad_(true);
        using var plainX = x0.clone().requires_grad_(true);
        (nn.functional.linear(plainX, plainW) * upstream).sum().backward();

        var x = x0.clone().requires_grad_(true);
        weight.grad = before.clone();
        var fusedBefore = AccumulatingLinear.FusedBackwards;
        using (var y = AccumulatingLinear.Apply(x, weight))
        {
            Assert.True(y.detach().allclose(nn.functional.linear(x0, weight.detach()), rtol: 0, atol: 1e-6));
            (y * upstream).sum().backward();
        }
        Assert.True(weight.grad!.allclose(before + plainW.grad!, rtol: 0, atol: 1e-5));
        Assert.True(AccumulatingLinear.FusedBackwards > fusedBefore);
        Assert.True(x.grad!.allclose(plainX.grad!, rtol: 0, atol: 1e-5));

        using var fresh = weight.detach().clone().requires_grad_(true);
        using var z = (AccumulatingLinear.Apply(x0, fresh) * upstream).sum();
        Assert.True(autograd.grad([z], [fresh])[0].allclose(plainW.grad!, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Fine_tuning_a_tiny_GPT_NeoX_with_fusion_follows_the_plain_modules_trajectory()
    {
        var (embeddings, unembeddings) = (AccumulatingEmbedding.FusedBackwards, AccumulatingLinear.FusedBackwards);
        var fused = Train(fusion: true);
        Assert.True(AccumulatingEmbedding.FusedBackwards - embeddings >= 6 && AccumulatingLinear.FusedBackwards - unembeddings >= 6);
        var plain = Train(fusion: false);
        var maxDiff = fused.Zip(plain, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff < 2e-5, $"max |fused − plain| = {maxDiff}");
        var moved = Train(fusion: true, steps: 0).Zip(fused, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(moved > 1e-3, $"training moved the parameters by only {moved}");   // the comparison is not vacuous
    }

    private static float[] Train(bool fusion, int steps = 6)
    {
        using var model = TinyGptNeoX.Create(seed: 4, cfg: TinyGptNeoX.Config(vocab: 40, d: 16, layers: 2, heads: 2));
        model.GradientAccumulationFusion = fusion;
        model.train();
        using var optimizer = FlatAdamW.ForModel(model, 0.01);
        var prompts = new[] { new[] { 5, 6, 7, 8, 1 }, new[] { 9, 10, 2 }, new[] { 11, 12, 13, 5, 14, 1 }, new[] { 5, 15, 2 } };
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            using var batch = ((IClassifierBackbone)model).Batch(prompts, padId: 0, maxLength: null, device: CPU);
            var loss = ((IClassifierBackbone)model).FineTuneLoss(batch, zeros(4, dtype: ScalarType.Int64));
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step(1e-2, 1.0).Dispose();
        }
        return model.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal).SelectMany(p => p.parameter.detach().data<float>().ToArray()).ToArray();
    }
}
