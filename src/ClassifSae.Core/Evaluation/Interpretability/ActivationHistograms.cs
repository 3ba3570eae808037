using System.Text.Json;
using System.Text.Json.Serialization;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Interpretability;

/// <summary>
/// Each selected concept's activation values over the test sentences as a histogram of equal-width bins from the smallest
/// to the largest value, <c>interpretability/activation_histograms.json</c> (what the concept browser draws; the store keeps
/// the bins, not every sentence's value).
/// </summary>
public static class ActivationHistograms
{
    public const string FileName = "activation_histograms.json";

    public const int DefaultBins = 20;

    /// <param name="Counts">Sentences per bin; bin i covers [Lower + i·w, Lower + (i+1)·w), the last bin includes Upper.</param>
    public sealed record Entry(
        [property: JsonPropertyName("concept")] int Concept,
        [property: JsonPropertyName("lower")] double Lower,
        [property: JsonPropertyName("upper")] double Upper,
        [property: JsonPropertyName("counts")] int[] Counts)
    {
        public double Width => (Upper - Lower) / Counts.Length;
    }

    /// <summary>Equal-width bins over [min, max] of the finite values (non-finite ones are left out); one bin when all values are equal.</summary>
    public static Entry Compute(int concept, IReadOnlyList<float> values, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var finite = values.Where(float.IsFinite).Select(v => (double)v).ToList();
        if (finite.Count == 0) return new Entry(concept, 0, 0, []);
        var (lo, hi) = (finite.Min(), finite.Max());
        if (hi == lo) return new Entry(concept, lo, hi, [finite.Count]);
        var counts = new int[bins];
        var width = (hi - lo) / bins;
        foreach (var v in finite) counts[Math.Min(bins - 1, (int)((v - lo) / width))]++;
        return new Entry(concept, lo, hi, counts);
    }

    /// <summary>The histograms of the given columns (concepts) of a [sentences, concepts] activation matrix.</summary>
    public static IReadOnlyList<Entry> Of(Tensor activations, IEnumerable<int> concepts, int bins = DefaultBins)
    {
        if (activations.dim() != 2) throw new ArgumentException($"expected [sentences, concepts] activations, got {activations.dim()} dimensions", nameof(activations));
        using var scope = NewDisposeScope();
        // detach() is a new handle, so the scope never frees the caller's tensor.
        var values = activations.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var (rows, columns) = ((int)values.size(0), (int)values.size(1));
        var data = values.data<float>().ToArray();
        return concepts.Distinct().Order()
            .Select(j => Compute(j, Enumerable.Range(0, rows).Select(i => data[i * columns + j]).ToArray(), bins)).ToList();
    }

    public static void Write(string interpretabilityFolder, IReadOnlyList<Entry> entries) =>
        AtomicFile.WriteAllText(Path.Combine(interpretabilityFolder, FileName), JsonSerializer.Serialize(entries));

    /// <returns>Null when the folder has no activation_histograms.json (written by older builds).</returns>
    public static IReadOnlyList<Entry>? Read(string interpretabilityFolder)
    {
        var path = Path.Combine(interpretabilityFolder, FileName);
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path))
               ?? throw new InvalidDataException($"{path}: expected [{{concept, lower, upper, counts}}]");
    }
}
