using static TorchSharp.torch;

namespace ClassifSae.SentenceEncoders;

/// <summary>
/// An external sentence encoder for the interpretability metrics (spec 02 §6.2): texts in, one L2-normalised
/// embedding per text out. <see cref="Name"/> labels every result computed with it, because similarity
/// scores are only comparable between runs that used the same encoder.
/// </summary>
public interface ISentenceEncoder : IDisposable
{
    /// <summary>A stable label, e.g. <c>sentence-transformers/all-MiniLM-L6-v2</c> or <c>builtin:tfidf-svd-64</c>.</summary>
    string Name { get; }

    /// <summary>Embeddings [N, dim] float32 on the CPU, each row of unit norm (zero rows stay zero).</summary>
    Tensor Encode(IReadOnlyList<string> texts);
}
