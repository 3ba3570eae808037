using ClassifSae.Backbones.DebertaV2;
using ClassifSae.Backbones.SequenceClassifiers;

namespace ClassifSae.Tests.Backbones.Encoders;

internal static class TinyDebertaV2
{
    /// <summary>deberta-v3's switches on a tiny scale: buckets 4 (mid 2) over a range of 8, so rows of 9 ids reach the log buckets.</summary>
    public static DebertaV2Config V3 => new()
    {
        VocabSize = 40, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 24,
        RelativeAttention = true, PositionBuckets = 4, MaxRelativePositions = 8, PositionBiasedInput = false, TypeVocabSize = 0,
        PosAttType = ["p2c", "c2p"], ShareAttKey = true, NormRelEbd = "layer_norm", LayerNormEps = 1e-7, Id2Label = ClassLabels.Default(3),
    };

    /// <summary>The other branches: separate position projections, c2p only, no buckets (range 3, so δ is clamped), absolute positions and token types.</summary>
    public static DebertaV2Config V2 => V3 with
    {
        PositionBuckets = -1, MaxRelativePositions = 3, PositionBiasedInput = true, TypeVocabSize = 2, PosAttType = ["c2p"],
        ShareAttKey = false, NormRelEbd = "none",
    };

    public static DebertaV2ForSequenceClassification Create(DebertaV2Config config, long seed = 7)
    {
        var model = DebertaV2ForSequenceClassification.Random(config, seed, std: 0.3);
        model.eval();
        return model;
    }

    /// <summary>[CLS]=1 … [SEP]=2, pad 0: rows of 9, 6 and 3 ids.</summary>
    public static readonly int[][] Rows = [[1, 17, 4, 9, 22, 8, 31, 30, 2], [1, 12, 5, 33, 7, 2], [1, 19, 2]];
}
