using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.GptJ;

/// <summary>The GPT-J trunk (HF <c>transformer.*</c>): token embedding, blocks, final LayerNorm.</summary>
public sealed class GptJModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    internal readonly Embedding wte;
    internal readonly ModuleList<GptJBlock> h;
    internal readonly LayerNorm ln_f;
#pragma warning restore IDE1006

    public GptJModel(GptJConfig cfg) : base("transformer")
    {
        wte = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        h = new ModuleList<GptJBlock>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new GptJBlock(cfg)).ToArray());
        ln_f = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        RegisterComponents();
    }
}
