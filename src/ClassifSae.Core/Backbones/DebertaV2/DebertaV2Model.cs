using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>HF <c>deberta</c>: embeddings then the encoder.</summary>
public sealed class DebertaV2Model : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly DebertaV2Embeddings embeddings;
    private readonly DebertaV2Encoder encoder;
#pragma warning restore IDE1006

    public DebertaV2Model(DebertaV2Config cfg) : base("deberta")
    {
        embeddings = new DebertaV2Embeddings(cfg);
        encoder = new DebertaV2Encoder(cfg);
        RegisterComponents();
    }

    /// <summary>transformers' <c>hidden_states[0..untilLayer]</c>: the embedding output, then each block's output, [B, T, D] each.</summary>
    public List<Tensor> States(TokenBatch batch, int untilLayer)
    {
        var mask = batch.AttentionMask ?? ones_like(batch.InputIds);
        var first = embeddings.Forward(batch.InputIds, batch.Positions, mask);
        var states = new List<Tensor> { first };
        states.AddRange(encoder.Run(first, mask, 0, untilLayer));
        if (batch.AttentionMask is null) mask.Dispose();
        return states;
    }

    /// <summary>Blocks <paramref name="fromLayer"/>… on [B, T, D] states with every token real (the tail's one-token sequence).</summary>
    public Tensor Continue(Tensor h, int fromLayer, int layers)
    {
        using var scope = NewDisposeScope();
        var mask = ones(h.size(0), h.size(1), dtype: ScalarType.Int64, device: h.device);
        var states = encoder.Run(h, mask, fromLayer, layers);
        var last = states.Count == 0 ? h.clone() : states[^1];
        return last.MoveToOuterDisposeScope();
    }
}
