using ClassifSae.Backbones.GptNeoX;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones;

internal static class TinyGptNeoX
{
    public static GptNeoXConfig Config(int vocab = 50, int d = 32, int layers = 3, int heads = 4) => new()
    {
        VocabSize = vocab, HiddenSize = d, NumLayers = layers, NumHeads = heads, IntermediateSize = 4 * d,
        RotaryPct = 0.25, MaxPositions = 64,
    };

    public static GptNeoXForCausalLM Create(long seed = 1, GptNeoXConfig? cfg = null)
    {
        var model = new GptNeoXForCausalLM(cfg ?? Config());
        // Larger init than HF's 0.02 so differences between positions are far above float noise.
        model.InitializeWeights(new Generator((ulong)seed), std: 0.3);
        model.eval();
        return model;
    }
}
