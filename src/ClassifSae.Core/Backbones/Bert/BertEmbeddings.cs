using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// BERT's input layer (HF <c>embeddings.*</c>): word + absolute position + token-type embedding, then LayerNorm.
/// Single sentences only, so every token has type 0, as sentence-transformers and upstream's classifiers feed it.
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public BertEmbeddings(BertConfig cfg) : base("embeddings")
    {
        word_embeddings = nn.Embedding(cfg.VocabSize, cfg.HiddenSize);
        position_embeddings = nn.Embedding(cfg.MaxPositions, cfg.HiddenSize);
        token_type_embeddings = nn.Embedding(cfg.TypeVocabSize, cfg.HiddenSize);
        LayerNorm = nn.LayerNorm(cfg.HiddenSize, cfg.LayerNormEps);
        _dropout = cfg.HiddenDropout;
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T] int64, right-padded (positions count from 0 at [CLS]).</param>
    /// <returns>[B, T, D]</returns>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var t = inputIds.size(1);
        var positions = arange(t, dtype: ScalarType.Int64, device: inputIds.device);
        var sum = word_embeddings.forward(inputIds)
                  + position_embeddings.forward(positions)      // [T, D] broadcast over the batch
                  + token_type_embeddings.weight![0];            // type 0 for every token
        // Dropout is active only while fine-tuning (train mode), as in HF.
        return nn.functional.dropout(LayerNorm.forward(sum), _dropout, training).MoveToOuterDisposeScope();
    }
}
