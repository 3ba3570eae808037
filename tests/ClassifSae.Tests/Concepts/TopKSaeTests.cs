using ClassifSae.Concepts.Sae;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

public class TopKSaeTests
{
    private static readonly SaeShape Shape = new(DIn: 8, DSae: 16, K: 3, NConcepts: 4, NbClasses: 2);

    private static Tensor RandomInput(long seed, int rows = 6)
    {
        using var g = new Generator((ulong)seed);
        return randn([rows, Shape.DIn], generator: g) * 3 + 1;
    }

    [Fact]
    public void TopKRelu_keeps_at_most_k_non_negative_entries()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var h = randn([50, 16], generator: g) - 1.0; // many rows with fewer than k positive entries
        var z = TopKSae.TopKRelu(h, 3);
        var nonZero = (z != 0).sum(-1);
        Assert.True(nonZero.max().item<long>() <= 3);
        Assert.True(z.min().item<float>() >= 0);
        // Kept values are exactly the positive part of the k largest pre-activations.
        var kth = h.topk(3, dim: -1).values.narrow(1, 2, 1);
        var expected = where(h >= kth, nn.functional.relu(h), zeros_like(h));
        Assert.True(z.IsEqual(expected));
    }

    [Fact]
    public void Init_follows_spec_decoder_rows_unit_norm_and_encoder_is_unnormalised_transpose()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 7);
        var rowNorms = sae.WDec.pow(2).sum(-1).sqrt();
        Assert.True(rowNorms.allclose(ones_like(rowNorms), atol: 1e-5));
        // W_enc columns, once normalised, are the W_dec rows; their raw norms are within the Kaiming bound √(6/d_in)·√d_in.
        var encCols = sae.WEnc.t();
        var encNorms = encCols.pow(2).sum(-1, keepdim: true).sqrt();
        Assert.True((encCols / encNorms).allclose(sae.WDec, atol: 1e-5));
        Assert.True(encNorms.max().item<float>() <= Math.Sqrt(6.0) + 1e-4);
        Assert.True(sae.WEnc.abs().max().item<float>() <= Math.Sqrt(6.0 / Shape.DIn));
        Assert.True(sae.ClassifierWeight.abs().max().item<float>() <= Math.Sqrt(6.0 / Shape.NConcepts));
        Assert.Equal(0f, sae.BEnc.abs().sum().item<float>());
        Assert.Equal(0f, sae.BDec.abs().sum().item<float>());
        Assert.Equal(0f, sae.ClassifierBias.abs().sum().item<float>());
    }

    [Fact]
    public void Encode_is_invariant_to_scaling_the_input()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 3);
        var x = RandomInput(11);
        var z1 = sae.Encode(x).Z;
        var z2 = sae.Encode(x * 37.5).Z;
        Assert.True(z1.allclose(z2, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Decode_of_encode_returns_to_the_input_scale()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 3);
        using (no_grad()) sae.BDec.copy_(randn(Shape.DIn));
        var x = RandomInput(12);
        var xHat = sae.forward(x);
        var xHatScaled = sae.forward(x * 10);
        Assert.True((xHat * 10).allclose(xHatScaled, rtol: 1e-4, atol: 1e-4));
        // With c = √d_in/‖x‖ the normalised decoder output is divided by c: check by hand.
        var enc = sae.Encode(x);
        var c = Math.Sqrt(Shape.DIn) / x.pow(2).sum(-1, keepdim: true).sqrt();
        Assert.True(enc.Scale.allclose(c, rtol: 1e-5));
        Assert.True(xHat.allclose((enc.Z.matmul(sae.WDec) + sae.BDec) / c, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void NormaliseDecoderRows_gives_unit_rows()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 5);
        using (no_grad()) sae.WDec.mul_(rand([Shape.DSae, 1]) * 5 + 0.1);
        sae.NormaliseDecoderRows();
        var norms = sae.WDec.pow(2).sum(-1).sqrt();
        Assert.True(norms.allclose(ones_like(norms), atol: 1e-6));
    }

    [Fact]
    public void DecodeMasked_keeps_only_selected_features()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 5);
        var x = RandomInput(13);
        var enc = sae.Encode(x);
        var all = ones(Shape.DSae, dtype: ScalarType.Bool);
        Assert.True(sae.DecodeMasked(enc.Z, enc.Scale, all).allclose(sae.Decode(enc.Z, enc.Scale)));
        var firstFour = arange(Shape.DSae) < 4;
        var expected = sae.Decode(enc.Z * firstFour.to(ScalarType.Float32), enc.Scale);
        Assert.True(sae.DecodeMasked(enc.Z, enc.Scale, firstFour).allclose(expected));
        Assert.Throws<ArgumentException>(() => sae.DecodeMasked(enc.Z, enc.Scale, ones(3, dtype: ScalarType.Bool)));
    }

    [Fact]
    public void Classifier_reads_the_first_n_concepts_units()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(Shape, seed: 5);
        var z = zeros(2, Shape.DSae);
        z[0, 1] = tensor(2f);
        z[1, 10] = tensor(5f); // outside z_class: no effect on the logits
        var logits = sae.ClassifierLogits(z);
        Assert.True(logits[0].allclose(sae.ClassifierWeight.select(1, 1) * 2 + sae.ClassifierBias));
        Assert.True(logits[1].allclose(sae.ClassifierBias));
    }
}
