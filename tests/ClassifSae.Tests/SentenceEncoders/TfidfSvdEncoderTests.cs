using ClassifSae.SentenceEncoders;
using static TorchSharp.torch;

namespace ClassifSae.Tests.SentenceEncoders;

public class TfidfSvdEncoderTests
{
    private static readonly string[] Training =
    [
        "the striker scored a goal in the match", "the keeper saved the goal", "a late goal won the match for the team",
        "the team lost the match", "stocks fell as the market closed", "the market rallied and stocks rose",
        "investors sold stocks in a falling market", "the bank raised rates and the market fell",
        "the team and the keeper", "stocks and rates",
    ];

    [Fact]
    public void Idf_and_rows_follow_the_smooth_idf_definition()
    {
        var vocab = TfidfVocabulary.Fit(["a b", "b c", "b c"], minDf: 1);
        // "b" is in 3 of 3 texts, "c" in 2: idf = ln(4/4)+1 = 1 and ln(4/3)+1 (single letters are too short: use words).
        Assert.Equal(0, vocab.Count);
        vocab = TfidfVocabulary.Fit(["aa bb", "bb cc", "bb cc"], minDf: 1);
        var (cols, vals) = vocab.Row("bb cc cc");
        Assert.Equal(new[] { 1, 2 }, cols); // aa, bb, cc in ordinal order
        var (wb, wc) = (1.0, 2 * (Math.Log(4.0 / 3) + 1));
        var norm = Math.Sqrt(wb * wb + wc * wc);
        Assert.Equal(wb / norm, vals[0], 5);
        Assert.Equal(wc / norm, vals[1], 5);
    }

    [Fact]
    public void Randomized_svd_finds_the_exact_top_singular_directions()
    {
        var vocab = TfidfVocabulary.Fit(Training);
        var rows = Training.Select(vocab.Row).ToArray();
        var sparse = new SparseRows(rows, vocab.Count);
        var v = tensor(RandomizedSvd.TopRightSingularVectors(sparse, 3, seed: 1), [vocab.Count, 3]).to(ScalarType.Float64);
        var dense = zeros(rows.Length, vocab.Count, dtype: ScalarType.Float64);
        for (var i = 0; i < rows.Length; i++)
            for (var t = 0; t < rows[i].Columns.Length; t++) dense[i, rows[i].Columns[t]] = rows[i].Values[t];
        var (_, _, vt) = linalg.svd(dense, fullMatrices: false);
        var exact = vt[..3].T;
        var overlap = exact.T.matmul(v).abs().diag();
        Assert.True(overlap.gt(0.999).all().item<bool>(), $"|cos| with the exact singular vectors: {string.Join(", ", overlap.data<double>().ToArray())}");
    }

    [Fact]
    public void Sentences_on_the_same_topic_are_closer_and_rows_are_unit_or_zero()
    {
        using var encoder = TfidfSvdEncoder.Fit(Training, dimensions: 2, seed: 0);
        Assert.Equal("builtin:tfidf-svd-2", encoder.Name);
        var e = encoder.Encode(["a goal in the match", "the keeper and the team", "stocks and the market", "zzz unknown"]);
        Assert.Equal(new long[] { 4, 2 }, e.shape);
        var norms = e.norm(1).data<float>().ToArray();
        Assert.Equal(new[] { 1f, 1f, 1f, 0f }, norms.Select(n => MathF.Round(n, 5)));
        var cos = e.matmul(e.T);
        Assert.True(cos[0, 1].item<float>() > 0.9f && cos[0, 2].item<float>() < 0.5f, cos.ToString(TorchSharp.TensorStringStyle.Julia));
    }

    [Fact]
    public void Fitting_twice_with_the_same_seed_gives_identical_embeddings()
    {
        using var a = TfidfSvdEncoder.Fit(Training, dimensions: 3, seed: 5);
        using var b = TfidfSvdEncoder.Fit(Training, dimensions: 3, seed: 5);
        Assert.Equal(0f, (a.Encode(Training) - b.Encode(Training)).abs().max().item<float>());
    }
}
