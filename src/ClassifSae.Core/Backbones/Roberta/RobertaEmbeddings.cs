using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// RoBERTa's input layer (HF <c>roberta.embeddings.*</c>): word + position + token-type (type 0: the table has one row)
/// embeddings, LayerNorm, dropout. Positions come from the batch (<see cref="RobertaPositions"/>).
/// </summary>
public sealed class RobertaEmbeddings : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    public RobertaEmbeddings(RobertaConfig cfg) : base("embeddings")
    {
        word_embeddings = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        position_embeddings = nn.Embedding(cfg.MaxPositions, cfg.HiddenSize);
        token_type_embeddings = nn.Embedding(cfg.TypeVocabSize, cfg.HiddenSize);
        LayerNorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        dropout = nn.Dropout(cfg.HiddenDropout);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="positions">[B, T] int64 position ids</param>
    public Tensor Forward(Tensor inputIds, Tensor positions)
    {
        using var scope = NewDisposeScope();
        var sum = word_embeddings.forward(inputIds) + position_embeddings.forward(positions) + token_type_embeddings.weight![0];
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}
