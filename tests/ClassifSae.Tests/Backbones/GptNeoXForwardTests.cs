using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

public class GptNeoXForwardTests
{
    private static readonly int[] Short = [5, 7, 9, 11];
    private static readonly int[] Long = [3, 4, 8, 12, 13, 2, 6];

    [Fact]
    public void Left_padding_leaves_every_row_equal_to_running_it_alone()
    {
        using var model = TinyGptNeoX.Create();
        using var _ = no_grad();
        using var batch = TokenBatch.LeftPadded([Short, Long], padId: 0);
        using var alone = TokenBatch.LeftPadded([Short], padId: 0);
        Assert.NotNull(batch.AttentionMask);
        var (hb, lb) = model.Decision(batch, hookLayer: 2);
        var (ha, la) = model.Decision(alone, hookLayer: 2);
        Assert.True(hb[0].allclose(ha[0], rtol: 1e-4, atol: 1e-5));
        Assert.True(lb[0].allclose(la[0], rtol: 1e-4, atol: 1e-5));
        // Sanity: the two rows differ, so the comparison above is not vacuous.
        Assert.False(hb[0].allclose(hb[1], rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void Decision_returns_the_residual_entering_the_hook_block_at_the_token_before_the_label()
    {
        using var model = TinyGptNeoX.Create();
        using var _ = no_grad();
        using var batch = TokenBatch.LeftPadded([Long], padId: 0);
        var (hidden, logits) = model.Decision(batch, hookLayer: 2);
        using var residual = model.Residual(batch, untilLayer: 2);
        using var all = model.Logits(batch);
        Assert.True(hidden.allclose(residual[.., -2, ..], atol: 1e-6));
        Assert.True(logits.allclose(all[.., -2, ..], atol: 1e-5));
        // A different hook layer gives a different state.
        using var earlier = model.Residual(batch, untilLayer: 1);
        Assert.False(hidden.allclose(earlier[.., -2, ..], atol: 1e-3));
    }

    [Fact]
    public void Tail_on_a_single_token_sequence_equals_the_full_forward()
    {
        using var model = TinyGptNeoX.Create();
        using var _ = no_grad();
        using var batch = TokenBatch.LeftPadded([[4], [9]], padId: 0);
        using var residual = model.Residual(batch, untilLayer: 2);
        using var tail = model.Tail(residual[.., 0, ..], fromLayer: 2);
        using var full = model.Logits(batch);
        Assert.True(tail.allclose(full[.., 0, ..], atol: 1e-5));
    }

    [Fact]
    public void Tail_restricted_to_label_tokens_gives_those_columns_of_the_full_logits_in_order()
    {
        using var model = TinyGptNeoX.Create();
        using var _ = no_grad();
        using var hidden = randn(5, model.Config.HiddenSize);
        using var ids = tensor(new long[] { 7, 2, 11 });
        using var full = model.Tail(hidden, fromLayer: 1);
        using var labels = model.Tail(hidden, fromLayer: 1, ids);
        Assert.Equal(new long[] { 5, 3 }, labels.shape);
        Assert.True(labels.allclose(full.index_select(1, ids), atol: 1e-6), $"max diff {(labels - full.index_select(1, ids)).abs().max().item<float>()}");
    }

    [Fact]
    public void Causality_holds_appending_tokens_does_not_change_earlier_logits()
    {
        using var model = TinyGptNeoX.Create();
        using var _ = no_grad();
        using var a = TokenBatch.LeftPadded([Short], padId: 0);
        using var b = TokenBatch.LeftPadded([[.. Short, 20, 21]], padId: 0);
        using var la = model.Logits(a);
        using var lb = model.Logits(b);
        Assert.True(la.allclose(lb[.., ..Short.Length, ..], rtol: 1e-4, atol: 1e-5));
    }
}
