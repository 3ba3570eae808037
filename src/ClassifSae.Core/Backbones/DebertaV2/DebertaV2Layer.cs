using ClassifSae.Backbones.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// One post-LN DeBERTa block (HF <c>encoder.layer.i</c>): h = LN(x + dense(DisentangledAttn(x))); out = LN(h + dense(gelu(dense h))).
/// The feed-forward and residual outputs are BERT's modules (same computation, same state-dict names).
/// </summary>
public sealed class DebertaV2Layer : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly DebertaV2Attention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    public DebertaV2Layer(DebertaV2Config cfg) : base("layer")
    {
        var blocks = cfg.Blocks;
        attention = new DebertaV2Attention(cfg, blocks);
        intermediate = new BertIntermediate(blocks);
        output = new BertResidualOutput(blocks, cfg.IntermediateSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var h = attention.Forward(x, mask, relativePositions, relEmbeddings);
        using var up = intermediate.forward(h);
        return output.Forward(up, h);
    }

    private sealed class DebertaV2Attention : nn.Module
    {
#pragma warning disable IDE1006 // HF state-dict names
        private readonly DisentangledSelfAttention self;
        private readonly BertResidualOutput output;
#pragma warning restore IDE1006

        public DebertaV2Attention(DebertaV2Config cfg, BertConfig blocks) : base("attention")
        {
            self = new DisentangledSelfAttention(cfg);
            output = new BertResidualOutput(blocks, cfg.NumHeads * cfg.HeadSize);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
        {
            using var att = self.Forward(x, mask, relativePositions, relEmbeddings);
            return output.Forward(att, x);
        }
    }
}
