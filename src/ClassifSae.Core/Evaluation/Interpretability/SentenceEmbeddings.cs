using ClassifSae.Runtime;
using ClassifSae.SentenceEncoders;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>The test sentences (template-free text, test order), their embeddings, and the encoder that made them.</summary>
public sealed record SentenceEmbeddings(string Encoder, IReadOnlyList<string> Texts, Tensor Embeddings, double DatasetMeanCosine) : IDisposable
{
    public const int Chunk = 256;

    public static SentenceEmbeddings Encode(ISentenceEncoder encoder, IReadOnlyList<string> texts, IProgressSink progress)
    {
        using var task = progress.Begin($"encoding {texts.Count} test sentences ({encoder.Name})", texts.Count);
        var parts = new List<Tensor>();
        for (var s = 0; s < texts.Count; s += Chunk)
        {
            var chunk = Enumerable.Range(s, Math.Min(Chunk, texts.Count - s)).Select(i => texts[i]).ToList();
            parts.Add(encoder.Encode(chunk));
            task.Advance(chunk.Count);
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return new SentenceEmbeddings(encoder.Name, texts, all, ConceptSimilarity.DatasetMeanCosine(all));
    }

    public void Dispose() => Embeddings.Dispose();
}
