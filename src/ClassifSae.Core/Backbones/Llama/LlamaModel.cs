using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Llama;

/// <summary>The trunk (HF <c>model.*</c>): token embedding, blocks, final RMSNorm.</summary>
public sealed class LlamaModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    internal readonly Embedding embed_tokens;
    internal readonly ModuleList<LlamaDecoderLayer> layers;
    internal readonly RmsNorm norm;
#pragma warning restore IDE1006

    public LlamaModel(LlamaConfig cfg) : base("model")
    {
        embed_tokens = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new LlamaDecoderLayer(cfg)).ToArray());
        norm = new RmsNorm(cfg.HiddenSize, cfg.RmsNormEps);
        RegisterComponents();
    }
}
