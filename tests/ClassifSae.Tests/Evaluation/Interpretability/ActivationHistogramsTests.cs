using ClassifSae.Evaluation.Interpretability;
using ClassifSae.Pipeline.Ingest;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>A concept's activations over the test sentences in equal-width bins (issue 18, item 1: the concept browser's histogram).</summary>
public class ActivationHistogramsTests
{
    [Fact]
    public void Values_fall_in_equal_width_bins_from_min_to_max_the_maximum_in_the_last()
    {
        // Range [0, 4], 4 bins of width 1: [0,1) {0, 0, 0, 0.5}, [1,2) {1}, [2,3) {}, [3,4] {3.999, 4}; NaN left out.
        var h = ActivationHistograms.Compute(7, [0f, 0f, 0f, 0.5f, 1f, 3.999f, 4f, float.NaN], bins: 4);
        Assert.Equal((7, 0.0, 4.0), (h.Concept, h.Lower, h.Upper));
        Assert.Equal([4, 1, 0, 2], h.Counts);
        Assert.Equal(1.0, h.Width);
    }

    [Fact]
    public void Negative_values_and_a_constant_concept()
    {
        Assert.Equal([1, 0, 2], ActivationHistograms.Compute(0, [-3f, 3f, 2.5f], bins: 3).Counts);
        var constant = ActivationHistograms.Compute(1, [0f, 0f, 0f]);
        Assert.Equal((0.0, 0.0), (constant.Lower, constant.Upper));
        Assert.Equal([3], constant.Counts);
        Assert.Empty(ActivationHistograms.Compute(2, [float.NaN]).Counts);
    }

    [Fact]
    public void The_columns_of_an_activation_matrix_are_binned_and_the_matrix_survives()
    {
        // 4 sentences × 3 concepts; concepts 2 and 0 (asked in that order, 2 twice) come back in index order.
        using var activations = TorchSharp.torch.tensor(new float[] { 0, 9, 1, 0, 9, 2, 1, 9, 3, 4, 9, 4 }, [4, 3]);
        var entries = ActivationHistograms.Of(activations, [2, 0, 2], bins: 2);
        Assert.Equal([0, 2], entries.Select(e => e.Concept));
        Assert.Equal((0.0, 4.0), (entries[0].Lower, entries[0].Upper));
        Assert.Equal([3, 1], entries[0].Counts);   // {0, 0, 1} below 2, {4} above
        Assert.Equal((1.0, 4.0), (entries[1].Lower, entries[1].Upper));
        Assert.Equal([2, 2], entries[1].Counts);   // {1, 2} below 2.5, {3, 4} above
        Assert.Equal(51, (int)activations.sum().item<float>());   // still usable by the caller
    }

    /// <summary>Evaluate's file becomes one store row per bin with its edges, under the method's folder.</summary>
    [Fact]
    public void The_file_is_ingested_as_one_row_per_bin_with_its_edges()
    {
        using var dir = new TempFolder();
        var method = Path.Combine(dir.Path, "sae", "8");
        Directory.CreateDirectory(Path.Combine(method, "test", "interpretability"));
        File.WriteAllText(Path.Combine(method, EvaluationFiles.Selected), "[3]");
        ActivationHistograms.Write(Path.Combine(method, "test", "interpretability"), [ActivationHistograms.Compute(3, [0f, 0f, 1f, 3f], bins: 3)]);
        var rows = StageDetailFiles.ConceptHistograms("run", "evaluate", dir.Path);
        Assert.Equal([
            new ConceptHistogramRecord("run", "sae", 3, 0, 0, 1, 2),
            new ConceptHistogramRecord("run", "sae", 3, 1, 1, 2, 1),
            new ConceptHistogramRecord("run", "sae", 3, 2, 2, 3, 1),
        ], rows);
        Assert.Empty(StageDetailFiles.ConceptHistograms("run", "train", dir.Path));
    }
}
