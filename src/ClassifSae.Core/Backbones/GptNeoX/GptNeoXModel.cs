using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptNeoX;

/// <summary>The GPT-NeoX trunk (HF <c>gpt_neox.*</c>): embedding, blocks, final LayerNorm.</summary>
public sealed class GptNeoXModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    internal readonly Embedding embed_in;
    internal readonly ModuleList<GptNeoXLayer> layers;
    internal readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    public GptNeoXModel(GptNeoXConfig cfg) : base("gpt_neox")
    {
        embed_in = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        layers = new ModuleList<GptNeoXLayer>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new GptNeoXLayer(cfg)).ToArray());
        final_layer_norm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        RegisterComponents();
    }
}
