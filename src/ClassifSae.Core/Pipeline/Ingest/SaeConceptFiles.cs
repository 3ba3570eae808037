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
        var rows = wDec.index_select(0, tensor(concepts.Select(c => (long)c).ToArray()));
        var projected = Evaluation.Figures.DecoderPca.Compute(split.Hidden, rows, split.TrueLabel, classes: 0).Directions;
        return concepts.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (projected[p.i][0], projected[p.i][1]));
    }
}
