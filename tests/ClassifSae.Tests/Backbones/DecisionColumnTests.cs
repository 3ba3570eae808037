using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

/// <summary>
/// The decision pass runs the last block at the decision column only: its hidden states, logits and gradients must equal
/// those read off the full forward (every block over every position), with left padding, both residual forms, and any column.
/// </summary>
public class DecisionColumnTests
{
    private static readonly int[][] Prompts = [[5, 6, 7, 8, 9, 1], [9, 10, 2], [11, 12, 13, 5, 1], [5, 15, 16, 2]];

    [Theory]
    [InlineData(true, -2, 2)]
    [InlineData(true, -1, 3)]
    [InlineData(false, -2, 3)]
    [InlineData(true, 2, 0)]
    public void Decision_equals_the_full_forward_read_at_the_column(bool parallelResidual, int position, int hookLayer)
    {
        var cfg = TinyGptNeoX.Config() with { UseParallelResidual = parallelResidual };
        using var model = TinyGptNeoX.Create(seed: 11, cfg: cfg);
        using var _ = no_grad();
        using var batch = ((IClassifierBackbone)model).Batch(Prompts, padId: 0, maxLength: null, device: CPU);
        var (hidden, logits) = model.Decision(batch, hookLayer, position);
        var col = position < 0 ? batch.InputIds.size(1) + position : position;
        using var fullHidden = model.Residual(batch, hookLayer)[.., col, ..];
        using var fullLogits = model.Logits(batch)[.., col, ..];
        Assert.True(hidden.allclose(fullHidden, rtol: 0, atol: 1e-5), $"hidden max diff {(hidden - fullHidden).abs().max().item<float>()}");
        Assert.True(logits.allclose(fullLogits, rtol: 0, atol: 1e-4), $"logits max diff {(logits - fullLogits).abs().max().item<float>()}");
        Assert.True(fullLogits.abs().max().item<float>() > 0.1f);   // not a comparison of zeros
    }

    [Fact]
    public void Fine_tuning_gradients_equal_those_of_the_full_forward()
    {
        using var model = TinyGptNeoX.Create(seed: 12);
        model.train();
        model.GradientAccumulationFusion = false;   // the plain modules on both sides: only the column pass differs
        using var batch = ((IClassifierBackbone)model).Batch(Prompts, padId: 0, maxLength: null, device: CPU);
        var parameters = model.parameters().Cast<Tensor>().ToList();

        using var loss = ((IClassifierBackbone)model).FineTuneLoss(batch, zeros(4, dtype: ScalarType.Int64));
        var columnGrads = autograd.grad([loss], parameters, allow_unused: true);

        using var full = nn.functional.cross_entropy(model.Logits(batch)[.., -2, ..], batch.InputIds[.., -1]);
        var fullGrads = autograd.grad([full], parameters, allow_unused: true);

        Assert.Equal(loss.item<float>(), full.item<float>(), 5);
        for (var i = 0; i < parameters.Count; i++)
        {
            var (a, b) = (columnGrads[i], fullGrads[i]);
            Assert.True(a is not null && b is not null, $"parameter {i} has no gradient");
            Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-6), $"parameter {i}: max diff {(a - b).abs().max().item<float>()}");
        }
    }
}
