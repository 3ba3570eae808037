using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// The BERT trunk as HF's <c>BertModel</c> without the pooler (sentence-transformers never uses it):
/// embeddings then the encoder, returning the last hidden state. Inference only, so no dropout modules.
/// </summary>
public sealed class BertModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
#pragma warning restore IDE1006

    public BertConfig Config { get; }

    public BertModel(BertConfig cfg) : base("bert")
    {
        Config = cfg;
        embeddings = new BertEmbeddings(cfg);
        encoder = new BertEncoder(cfg);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T] int64, right-padded.</param>
    /// <param name="attentionMask">[B, T], 1 for real tokens and 0 for padding.</param>
    /// <returns>The last hidden state [B, T, D]; padded positions hold values the caller must mask out.</returns>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask)
    {
        if (inputIds.size(1) > Config.MaxPositions)
            throw new ArgumentException($"sequence length {inputIds.size(1)} exceeds max_position_embeddings {Config.MaxPositions}", nameof(inputIds));
        using var scope = NewDisposeScope();
        var keyMask = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1); // [B, 1, 1, T]
        var x = embeddings.forward(inputIds);
        return encoder.Forward(x, keyMask).MoveToOuterDisposeScope();
    }
}
