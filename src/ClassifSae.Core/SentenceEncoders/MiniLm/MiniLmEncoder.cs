using ClassifSae.Backbones.Bert;
using ClassifSae.Backbones;
using static TorchSharp.torch;

namespace ClassifSae.SentenceEncoders.MiniLm;

/// <summary>
/// The paper's sentence encoder, sentence-transformers <c>all-MiniLM-L6-v2</c> (or any BERT model with the same
/// Transformer → mean Pooling → Normalize pipeline), read from a local Hugging Face folder: WordPiece ids
/// truncated to max_seq_length, the BERT trunk, the mean of the last hidden state over real tokens, L2 norm.
/// </summary>
public sealed class MiniLmEncoder : ISentenceEncoder
{
    /// <summary>Texts per forward pass, sentence-transformers' default encode batch size.</summary>
    public const int ChunkSize = 32;

    private readonly BertModel _model;

    public string Name { get; }
    public BertWordPieceTokenizer Tokenizer { get; }
    public SentenceTransformerConfig SentenceConfig { get; }
    public int Dimension => _model.Config.HiddenSize;

    private MiniLmEncoder(string name, BertModel model, BertWordPieceTokenizer tokenizer, SentenceTransformerConfig sentenceConfig)
    {
        (Name, _model, Tokenizer, SentenceConfig) = (name, model, tokenizer, sentenceConfig);
    }

    /// <summary>Loads a model folder (a hub-cache snapshot or a plain copy of the repository files).</summary>
    public static MiniLmEncoder Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: sentence encoder folder not found");
        // Configuration and tokenizer first: their errors are cheap and must not wait for the weights.
        var bertConfig = BertConfig.Load(Path.Combine(folder, BertConfig.FileName));
        var st = SentenceTransformerConfig.Load(folder);
        if (st.PoolingDimension is { } dim && dim != bertConfig.HiddenSize)
            throw new InvalidDataException($"{folder}: pooling word_embedding_dimension {dim} differs from hidden_size {bertConfig.HiddenSize}");
        if (st.MaxSeqLength > bertConfig.MaxPositions)
            throw new InvalidDataException($"{Path.Combine(folder, SentenceTransformerConfig.SentenceBertFile)}: max_seq_length {st.MaxSeqLength} exceeds max_position_embeddings {bertConfig.MaxPositions}");
        var tokenizer = BertWordPieceTokenizer.Load(folder, st.MaxSeqLength, st.LowerCaseInput);
        if (tokenizer.VocabSize > bertConfig.VocabSize)
            throw new InvalidDataException($"{folder}: the tokenizer has {tokenizer.VocabSize} tokens but config.json vocab_size is {bertConfig.VocabSize}");
        var model = BertCheckpoint.Load(folder);
        return new MiniLmEncoder(DisplayName(folder), model, tokenizer, st);
    }

    /// <summary>The hub id for a cache snapshot (results then name the model, not a commit hash), else the folder's name.</summary>
    public static string DisplayName(string folder) =>
        HubCache.RepoIdOfSnapshot(folder) ?? new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))).Name;

    public Tensor Encode(IReadOnlyList<string> texts)
    {
        var ids = texts.Select(Tokenizer.Encode).ToArray();
        // Longest first, as sentence-transformers sorts, so each chunk pads to a similar length; rows go back to input order below.
        var order = Enumerable.Range(0, ids.Length).OrderByDescending(i => ids[i].Length).ToArray();
        var rows = new Tensor[ids.Length];
        using var _ = no_grad();
        try
        {
            for (var start = 0; start < order.Length; start += ChunkSize)
            {
                var chunk = order.Skip(start).Take(ChunkSize).ToArray();
                using var scope = NewDisposeScope();
                using var batch = BertInputBatch.RightPadded(chunk.Select(i => ids[i]).ToArray(), Tokenizer.PadId);
                var hidden = _model.Forward(batch.InputIds, batch.AttentionMask);
                // A Normalize module or not, ISentenceEncoder promises unit rows, so normalise either way
                // (a folder without one would give unnormalised vectors in sentence-transformers).
                var embeddings = MeanPooling.L2Normalize(MeanPooling.Mean(hidden, batch.AttentionMask));
                for (var k = 0; k < chunk.Length; k++) rows[chunk[k]] = embeddings[k].DetachFromDisposeScope();
            }
            return rows.Length == 0 ? zeros(0, Dimension) : stack(rows);
        }
        finally
        {
            foreach (var r in rows) r?.Dispose();
        }
    }

    public void Dispose() => _model.Dispose();
}
