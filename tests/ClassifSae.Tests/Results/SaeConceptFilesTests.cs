using ClassifSae.Concepts.Sae;
using ClassifSae.Evaluation;
using ClassifSae.Evaluation.Figures;
using ClassifSae.Formats;
using ClassifSae.Pipeline.Ingest;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Results;

/// <summary>Per-concept numbers Evaluate records for the store: rates from the SAE's Train folder, decoder PCA coordinates.</summary>
public class SaeConceptFilesTests
{
    [Fact]
    public void SparsityBecomesPercentRates()
    {
        using var dir = new TempFolder();
        using var s = tensor(new float[] { -1f, -2f, 0f });
        SafetensorsFile.Write(Path.Combine(dir.Path, SaeFolderFiles.Sparsity), new Dictionary<string, Tensor> { ["sparsity"] = s });
        var rates = SaeConceptFiles.ActivationRatesPct(dir.Path)!;
        Assert.Equal(10.0, rates[0], 5);
        Assert.Equal(1.0, rates[1], 5);
        Assert.Equal(100.0, rates[2], 5);
        Assert.Null(SaeConceptFiles.ActivationRatesPct(Path.Combine(dir.Path, "missing")));

        // Evaluate copies them into its own folder; the store reads them back bit for bit.
        ActivationRatesFile.Write(dir.Path, new ActivationRatesFile.Rates("train/sae/sparsity.safetensors", rates));
        var back = ActivationRatesFile.Read(dir.Path)!;
        Assert.Equal("train/sae/sparsity.safetensors", back.Source);
        Assert.Equal(rates.OrderBy(kv => kv.Key), back.Pct.OrderBy(kv => kv.Key));
        Assert.Null(ActivationRatesFile.Read(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void DecoderRowsAreProjectedWithOneAffineMap()
    {
        using var dir = new TempFolder();
        // States spread mostly along dimension 0 (and a little along 1) of a 4-d space.
        var gen = new Random(3);
        var rows = 40;
        var data = new float[rows * 4];
        for (var i = 0; i < rows; i++)
        {
            data[i * 4] = (float)(gen.NextDouble() * 10 - 5);
            data[i * 4 + 1] = (float)(gen.NextDouble() - 0.5);
            data[i * 4 + 2] = 3f + (float)(gen.NextDouble() * 0.01);
            data[i * 4 + 3] = 3f + (float)(gen.NextDouble() * 0.01);
        }
        using var wDec = tensor(new float[] { 1, 0, 0, 0, /**/ 0, 0, 0, 0, /**/ -1, 0, 0, 0 }).reshape(3, 4);
        using var states = tensor(data).reshape(rows, 4);

        // What Evaluate writes next to the PCA figure and the store reads back.
        var folder = Path.Combine(dir.Path, "pca_figures");
        ConceptPcaFile.Write(folder, [0, 1, 2], DecoderPca.Compute(states, wDec, new long[rows], classes: 0).Directions);
        var pca = ConceptPcaFile.Read(folder)!;
        Assert.Equal([0, 1, 2], pca.Keys.Order());
        Assert.All(pca.Values, p => Assert.True(double.IsFinite(p.X) && double.IsFinite(p.Y)));
        // Row 1 is the midpoint of rows 0 and 2, and the scaler + PCA is one affine map, so its point is the midpoint too.
        Assert.Equal((pca[0].X + pca[2].X) / 2, pca[1].X, 6);
        Assert.Equal((pca[0].Y + pca[2].Y) / 2, pca[1].Y, 6);
        Assert.NotEqual(pca[0], pca[2]);
        Assert.Null(ConceptPcaFile.Read(Path.Combine(dir.Path, "nope")));
    }
}
