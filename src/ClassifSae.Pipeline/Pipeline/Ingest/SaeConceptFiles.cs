using ClassifSae.Concepts.Sae;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Ingest;

/// <summary>Per-concept numbers that come from an SAE method's Train folder; Evaluate reads them (its input) and records them in its own output.</summary>
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
}
