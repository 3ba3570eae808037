using ClassifSae.Caching;
using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Ingest;

/// <summary>Per-concept numbers that come from an SAE method's Train folder (sparsity and decoder directions).</summary>
public static class SaeConceptFiles
{
    /// <summary>
    /// Firing frequency of each feature in percent, from the SAELens <c>sparsity.safetensors</c> (log10 frequency over the
    /// trainer's last statistics window). Null when the file is absent or not in that layout.
    /// </summary>
    public static IReadOnlyDictionary<int, double>? ActivationRatesPct(string saeFolder)
    {
        var path = Path.Combine(saeFolder, SaeFolderFiles.Sparsity);
        if (!File.Exists(path)) return null;
        var tensors = SafetensorsFile.Read(path);
        try
        {
            if (!tensors.TryGetValue("sparsity", out var s) || s.shape.Length != 1) return null;
            using var f = s.to(ScalarType.Float64);
            var log10 = f.data<double>().ToArray();
            return log10.Select((v, i) => (i, v)).ToDictionary(p => p.i, p => 100 * Math.Pow(10, p.v));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The 2-D PCA of spec 02 §4.5: row-normalise the test states, standardise each dimension, fit PCA(2), and project the
    /// decoder rows of <paramref name="concepts"/> with the same scaler and components. Null when a file is missing.
    /// </summary>
    public static IReadOnlyDictionary<int, (double X, double Y)>? DecoderPca(string saeFolder, string testCacheFolder, IReadOnlyList<int> concepts)
    {
        var weightsPath = Path.Combine(saeFolder, SaeFolderFiles.Weights);
        if (!File.Exists(weightsPath) || !Directory.Exists(testCacheFolder) || concepts.Count == 0) return null;
        using var scope = NewDisposeScope();
        var weights = SafetensorsFile.Read(weightsPath);
        if (!weights.TryGetValue("W_dec", out var wDec)) return null;
        using var split = ActivationShards.Read(testCacheFolder);
        var x = split.Hidden.to(ScalarType.Float64);
        var u = x / x.norm(1, keepdim: true).clamp_min(1e-12);
        var mean = u.mean([0L], keepdim: true);
        var std = u.std(0, unbiased: false, keepdim: true);
        std = where(std > 1e-12, std, ones_like(std));
        var z = (u - mean) / std;
        // Right singular vectors of the centred, standardised states are the principal axes.
        var (_, _, vh) = linalg.svd(z, fullMatrices: false);
        var components = vh[..2].T; // [d, 2]
        var rows = wDec.to(ScalarType.Float64).index_select(0, tensor(concepts.Select(c => (long)c).ToArray()));
        var projected = ((rows - mean) / std).matmul(components);
        var values = projected.data<double>().ToArray();
        return concepts.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (values[2 * p.i], values[2 * p.i + 1]));
    }
}
