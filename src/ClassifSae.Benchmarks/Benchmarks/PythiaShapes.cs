using ClassifSae.Backbones.GptNeoX;

namespace ClassifSae.Benchmarks;

/// <summary>The Pythia configurations the paper uses (HF config.json values), for random-weight speed runs.</summary>
public static class PythiaShapes
{
    public static GptNeoXConfig Pythia70m => new()
    {
        VocabSize = 50304, HiddenSize = 512, NumLayers = 6, NumHeads = 8, IntermediateSize = 2048,
        RotaryPct = 0.25, RotaryBase = 10000, MaxPositions = 2048, UseParallelResidual = true,
    };

    public static GptNeoXConfig Pythia160m => new()
    {
        VocabSize = 50304, HiddenSize = 768, NumLayers = 12, NumHeads = 12, IntermediateSize = 3072,
        RotaryPct = 0.25, RotaryBase = 10000, MaxPositions = 2048, UseParallelResidual = true,
    };

    /// <summary>Parameters of the transformer blocks (what a token's matmuls touch), excluding both embeddings and ln_f.</summary>
    public static long BlockParameters(GptNeoXConfig c)
    {
        long d = c.HiddenSize, f = c.IntermediateSize;
        var attention = d * 3 * d + 3 * d + d * d + d;
        var mlp = d * f + f + f * d + d;
        var norms = 4 * d;
        return c.NumLayers * (attention + mlp + norms);
    }

    /// <summary>
    /// The share of a full forward's block FLOPs (2·P_blocks·tokens, what the original and the PyTorch side run) that the
    /// decision pass does not execute: the last block runs its fused QKV over every token (keys and values) but the
    /// rest of the block only at the decision column, one row per prompt. The same share holds for forward + backward.
    /// </summary>
    public static double DecisionColumnSkippedShare(GptNeoXConfig c, long tokens, long rows)
    {
        long d = c.HiddenSize;
        var perBlock = BlockParameters(c) / (double)c.NumLayers;
        var qkv = d * 3.0 * d + 3 * d;
        return (perBlock - qkv) * (tokens - rows) / (BlockParameters(c) * (double)tokens);
    }

    /// <summary>FLOPs of the unembedding of one position (ln_f is negligible): 2·d·V.</summary>
    public static double UnembedFlops(GptNeoXConfig c) => 2.0 * c.HiddenSize * c.VocabSize;
}
