using static TorchSharp.torch;

namespace ClassifSae.SentenceEncoders;

/// <summary>
/// The built-in sentence encoder used when no Hugging Face encoder is configured: TF-IDF fitted on the training split,
/// projected on its top singular directions (latent semantic analysis) by a seeded randomized SVD, then L2-normalised.
/// It needs no download and is deterministic; its scores are not comparable with MiniLM's, hence the explicit name.
/// </summary>
public sealed class TfidfSvdEncoder : ISentenceEncoder
{
    public const int DefaultDimensions = 128;
    private readonly TfidfVocabulary _vocabulary;
    private readonly float[] _components; // [V, dim], row-major: the projection of each word

    private TfidfSvdEncoder(TfidfVocabulary vocabulary, float[] components, int dim) =>
        (_vocabulary, _components, Dimensions) = (vocabulary, components, dim);

    public int Dimensions { get; }

    public string Name => $"builtin:tfidf-svd-{Dimensions}";

    public static TfidfSvdEncoder Fit(IReadOnlyList<string> trainingTexts, int dimensions = DefaultDimensions, long seed = 0)
    {
        var vocabulary = TfidfVocabulary.Fit(trainingTexts);
        var rows = trainingTexts.Select(vocabulary.Row).ToArray();
        var dim = Math.Min(dimensions, Math.Min(vocabulary.Count, rows.Length) - 1);
        if (dim < 1) throw new UserError($"built-in sentence encoder: the training split has too few distinct words ({vocabulary.Count}) to fit a TF-IDF + SVD encoder");
        var components = RandomizedSvd.TopRightSingularVectors(new SparseRows(rows, vocabulary.Count), dim, seed);
        return new TfidfSvdEncoder(vocabulary, components, dim);
    }

    public Tensor Encode(IReadOnlyList<string> texts)
    {
        var output = new float[texts.Count * Dimensions];
        Parallel.For(0, texts.Count, i =>
        {
            var (cols, vals) = _vocabulary.Row(texts[i]);
            var row = output.AsSpan(i * Dimensions, Dimensions);
            for (var t = 0; t < cols.Length; t++)
            {
                var word = _components.AsSpan(cols[t] * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++) row[d] += vals[t] * word[d];
            }
            var norm = 0f;
            foreach (var v in row) norm += v * v;
            norm = MathF.Sqrt(norm);
            if (norm > 0) for (var d = 0; d < Dimensions; d++) row[d] /= norm;
        });
        return tensor(output, [texts.Count, Dimensions]);
    }

    public void Dispose() { }
}
