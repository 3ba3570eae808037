using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.GptJ;
using ClassifSae.Backbones.Llama;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>Tiny random configurations of each decoder family, with every weight (biases and norm gains too) drawn at random.</summary>
internal static class TinyDecoders
{
    /// <summary>GQA (4 query heads on 2 k/v heads, head 16) and llama3 scaling whose 8 frequencies fall in all three regimes (kept, interpolated, divided).</summary>
    public static LlamaConfig Llama() => new()
    {
        ModelType = LlamaConfig.Llama, VocabSize = 48, HiddenSize = 64, IntermediateSize = 80, NumLayers = 2, NumHeads = 4, NumKeyValueHeadsRaw = 2,
        RmsNormEps = 1e-5, RopeTheta = 10000, MaxPositions = 128, BosTokenId = 1, EosTokenId = null,
        RopeScaling = new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositions = 64 },
    };

    /// <summary>Multi-query attention (one k/v head) and a 3-token sliding window, shorter than the test inputs.</summary>
    public static LlamaConfig Mistral() => new()
    {
        ModelType = LlamaConfig.Mistral, VocabSize = 48, HiddenSize = 32, IntermediateSize = 48, NumLayers = 2, NumHeads = 4, NumKeyValueHeadsRaw = 1,
        RmsNormEps = 1e-5, RopeTheta = 10000, MaxPositions = 128, SlidingWindowRaw = 3, BosTokenId = 1,
    };

    /// <summary>q/k/v biases and tied embeddings.</summary>
    public static LlamaConfig Qwen2() => new()
    {
        ModelType = LlamaConfig.Qwen2, VocabSize = 48, HiddenSize = 32, IntermediateSize = 40, NumLayers = 2, NumHeads = 4, NumKeyValueHeadsRaw = 2,
        RmsNormEps = 1e-6, RopeTheta = 1000000, MaxPositions = 128, TieWordEmbeddings = true,
    };

    /// <summary>Rotary on 6 of the 16 dims of each head, lm_head bias.</summary>
    public static GptJConfig GptJ() => new()
    {
        VocabSize = 48, HiddenSize = 32, NumLayers = 2, NumHeads = 2, InnerRaw = 40, RotaryDimRaw = 6, MaxPositions = 128,
    };

    public static CausalDecoder Create(string family, long seed = 5) => family switch
    {
        "llama" => Randomised(new LlamaForCausalLM(Llama()), seed),
        "mistral" => Randomised(new LlamaForCausalLM(Mistral()), seed),
        "qwen2" => Randomised(new LlamaForCausalLM(Qwen2()), seed),
        "gptj" => Randomised(new GptJForCausalLM(GptJ()), seed),
        _ => throw new ArgumentException(family),
    };

    /// <summary>N(0, 0.3) everywhere (far above float noise), norm gains 1 + N(0, 0.3), in eval mode.</summary>
    public static T Randomised<T>(T model, long seed) where T : CausalDecoder
    {
        var g = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                p.normal_(0, 0.3, g);
                if (name.Contains("norm.weight", StringComparison.Ordinal) || name.Contains("ln_", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal))
                    p.add_(1.0);
            }
        }
        model.eval();
        return model;
    }

    public static ReferenceDecoder Reference(CausalDecoder model) => model switch
    {
        LlamaForCausalLM l => new ReferenceLlama(l),
        GptJForCausalLM j => new ReferenceGptJ(j),
        _ => throw new ArgumentException(model.GetType().Name),
    };
}
