using ClassifSae.Backbones.Roberta;
using ClassifSae.Backbones.SequenceClassifiers;

namespace ClassifSae.Tests.Backbones.Encoders;

internal static class TinyRoberta
{
    public static RobertaConfig Config => new()
    {
        VocabSize = 40, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 20,
        PadTokenId = 1, BosTokenId = 0, EosTokenId = 2, Id2Label = ClassLabels.Default(3),
    };

    /// <summary>A larger init than transformers' 0.02 so that every term moves the outputs far above float noise.</summary>
    public static RobertaForSequenceClassification Create(long seed = 5)
    {
        var model = RobertaForSequenceClassification.Random(Config, seed, std: 0.3);
        model.eval();
        return model;
    }

    /// <summary>&lt;s&gt;=0 … &lt;/s&gt;=2 rows of 9, 6 and 3 ids: one batch with two padded rows.</summary>
    public static readonly int[][] Rows = [[0, 17, 4, 9, 22, 8, 31, 30, 2], [0, 12, 5, 33, 7, 2], [0, 19, 2]];
}
