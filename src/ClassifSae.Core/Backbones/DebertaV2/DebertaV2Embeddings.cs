using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>
/// HF <c>deberta.embeddings</c>: word embedding (+ absolute positions when position_biased_input, + token type 0 when
/// type_vocab_size &gt; 0), LayerNorm, then multiplied by the attention mask (pads become 0), dropout.
/// </summary>
public sealed class DebertaV2Embeddings : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Embedding word_embeddings;
    private readonly Embedding? position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public DebertaV2Embeddings(DebertaV2Config cfg) : base("embeddings")
    {
        word_embeddings = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        if (cfg.PositionBiasedInput) position_embeddings = nn.Embedding(cfg.MaxPositions, cfg.HiddenSize);
        if (cfg.TypeVocabSize > 0) token_type_embeddings = nn.Embedding(cfg.TypeVocabSize, cfg.HiddenSize);
        LayerNorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        dropout = nn.Dropout(cfg.HiddenDropout);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T]</param>
    /// <param name="positions">[B, T] absolute positions (0, 1, …), read only when position_biased_input</param>
    /// <param name="mask">[B, T], 1 = real token</param>
    public Tensor Forward(Tensor inputIds, Tensor positions, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var e = word_embeddings.forward(inputIds);
        if (position_embeddings is not null) e = e + position_embeddings.forward(positions);
        if (token_type_embeddings is not null) e = e + token_type_embeddings.weight![0];
        var normed = LayerNorm.forward(e) * mask.unsqueeze(2).to(e.dtype);
        return dropout.forward(normed).MoveToOuterDisposeScope();
    }
}
