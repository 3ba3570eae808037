using ClassifSae.Backbones.Bert;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>HF <c>roberta</c> without a pooler (RobertaForSequenceClassification builds it with add_pooling_layer=False).</summary>
public sealed class RobertaModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly RobertaEmbeddings embeddings;
    private readonly RobertaEncoder encoder;
#pragma warning restore IDE1006

    public RobertaModel(RobertaConfig cfg) : base("roberta")
    {
        embeddings = new RobertaEmbeddings(cfg);
        encoder = new RobertaEncoder(cfg);
        RegisterComponents();
    }

    /// <summary>
    /// transformers' <c>hidden_states[0..untilLayer]</c>: the embedding output, then each block's output, [B, T, D] each.
    /// </summary>
    public List<Tensor> States(TokenBatch batch, int untilLayer)
    {
        var mask = batch.AttentionMask ?? ones_like(batch.InputIds);
        using var keyMask = mask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // [B, 1, 1, T]
        var states = new List<Tensor> { embeddings.Forward(batch.InputIds, batch.Positions) };
        for (var i = 0; i < untilLayer; i++) states.Add(encoder.Layer(i).Forward(states[^1], keyMask));
        if (batch.AttentionMask is null) mask.Dispose();
        return states;
    }

    /// <summary>Blocks <paramref name="fromLayer"/>… on a [B, T, D] state with every key visible (the tail's one-token sequence).</summary>
    public Tensor Continue(Tensor h, int fromLayer, int layers)
    {
        using var scope = NewDisposeScope();
        var keyMask = ones(h.size(0), 1, 1, h.size(1), dtype: ScalarType.Bool, device: h.device);
        for (var i = fromLayer; i < layers; i++) h = encoder.Layer(i).Forward(h, keyMask);
        return h.clone().MoveToOuterDisposeScope();
    }

    private sealed class RobertaEncoder : nn.Module
    {
#pragma warning disable IDE1006 // HF state-dict names
        private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

        public RobertaEncoder(RobertaConfig cfg) : base("encoder")
        {
            var blocks = cfg.Blocks;
            layer = new ModuleList<BertLayer>(Enumerable.Range(0, cfg.NumLayers).Select(_ => new BertLayer(blocks)).ToArray());
            RegisterComponents();
        }

        public BertLayer Layer(int i) => layer[i];
    }
}
