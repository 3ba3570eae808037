using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// HF's <c>BertModel</c>: embeddings then the encoder, and the pooler when <c>withPooler</c> (sequence classifiers use it;
/// sentence-transformers never does, and its loader skips the stored pooler). Dropout acts in train mode only.
/// </summary>
public sealed class BertModel : nn.Module
{
#pragma warning disable IDE1006 // HF state-dict names
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler? pooler;
#pragma warning restore IDE1006

    public BertConfig Config { get; }
    public BertEncoder Encoder => encoder;
    public BertPooler Pooler => pooler ?? throw new InvalidOperationException("this BERT trunk was built without its pooler");

    public BertModel(BertConfig cfg, bool withPooler = false) : base("bert")
    {
        Config = cfg;
        embeddings = new BertEmbeddings(cfg);
        encoder = new BertEncoder(cfg);
        if (withPooler) pooler = new BertPooler(cfg);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T] int64, right-padded.</param>
    /// <param name="attentionMask">[B, T], 1 for real tokens and 0 for padding.</param>
    /// <returns>The last hidden state [B, T, D]; padded positions hold values the caller must mask out.</returns>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return encoder.Forward(Embed(inputIds), KeyMask(attentionMask)).MoveToOuterDisposeScope();
    }

    /// <summary>The embedding output [B, T, D] (transformers' hidden_states[0]).</summary>
    public Tensor Embed(Tensor inputIds)
    {
        if (inputIds.size(1) > Config.MaxPositions)
            throw new ArgumentException($"sequence length {inputIds.size(1)} exceeds max_position_embeddings {Config.MaxPositions}", nameof(inputIds));
        return embeddings.forward(inputIds);
    }

    /// <summary>The attention mask as the blocks take it: bool [B, 1, 1, T], true for real keys.</summary>
    public static Tensor KeyMask(Tensor attentionMask) => attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1);
}
