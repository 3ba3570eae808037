using ClassifSae.Concepts.Sae;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>The sparse decoder of the training step must be the dense decoder up to float rounding, values and gradients.</summary>
public class SparseDecoderTests
{
    // The classifier head takes no part in reconstruction, so it has no gradient here.
    private static TorchSharp.Modules.Parameter[] Trained(TopKSae sae) => [sae.WEnc, sae.BEnc, sae.WDec, sae.BDec];

    [Fact]
    public void Sparse_decode_matches_dense_decode_and_its_gradients()
    {
        using var scope = NewDisposeScope();
        var shape = new SaeShape(DIn: 24, DSae: 48, K: 5, NConcepts: 4, NbClasses: 3);
        using var sae = new TopKSae(shape, seed: 3);
        using (no_grad()) sae.BDec.normal_(0, 0.5);
        var x = randn(16, 24, generator: new Generator(7));
        var target = randn(16, 24, generator: new Generator(8));

        var (enc, codes) = sae.EncodeWithCodes(x);
        var dense = sae.Decode(enc.Z, enc.Scale);
        (dense - target).pow(2).sum().backward();
        var denseGrads = Trained(sae).Select(p => p.grad!.clone()).ToList();
        foreach (var p in Trained(sae)) p.grad!.zero_();

        var (enc2, codes2) = sae.EncodeWithCodes(x);
        var sparse = sae.DecodeSparse(codes2, enc2.Scale);
        (sparse - target).pow(2).sum().backward();
        var sparseGrads = Trained(sae).Select(p => p.grad!.clone()).ToList();

        Assert.True(sparse.allclose(dense, rtol: 1e-5, atol: 1e-5));
        Assert.True(codes.Indices.eq(codes2.Indices).all().item<bool>());
        for (var i = 0; i < denseGrads.Count; i++)
            Assert.True(sparseGrads[i].allclose(denseGrads[i], rtol: 1e-4, atol: 1e-5), $"gradient {i} differs");
    }

    [Fact]
    public void Clean_preactivation_of_selected_columns_equals_the_full_one_restricted()
    {
        using var scope = NewDisposeScope();
        using var sae = new TopKSae(new SaeShape(16, 32, 4, 4, 2), seed: 1);
        var x = randn(10, 16, generator: new Generator(2));
        var scale = sae.RescaleCoefficient(x);
        var cols = tensor(new long[] { 0, 5, 31, 7 });
        var full = sae.PreActivation(x, scale).index_select(1, cols);
        Assert.True(sae.PreActivationColumns(x, scale, cols).allclose(full, rtol: 1e-5, atol: 1e-5));
    }
}
