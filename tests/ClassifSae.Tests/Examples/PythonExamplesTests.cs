using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;
using ClassifSae.Tests.EndToEnd;

namespace ClassifSae.Tests.Examples;

/// <summary>
/// The Python examples on the smoke run: what they compute from the run's files with NumPy/pandas alone must agree with
/// what the pipeline stored. A wrong safetensors reader, a missed rescale or a wrong TopK would change the rates.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class PythonExamplesTests(SmokeRun run)
{
    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", "python", name);

    private double StoredMetric(string method, string metric)
    {
        using var store = ResultsStore.Open(run.Context.StorePath);
        var r = store.Query("SELECT value FROM latest_metrics WHERE method = $m AND metric = $metric AND split = 'test'",
            new Dictionary<string, object?> { ["m"] = method, ["metric"] = metric });
        return Convert.ToDouble(Assert.Single(r.Rows)[0], CultureInfo.InvariantCulture);
    }

    [PythonFact]
    public void Concept_activation_rates_computed_with_numpy_equal_the_stored_ones()
    {
        var runDir = Path.GetDirectoryName(run.Context.StageDir(StageNames.Train, run.Key))!;
        foreach (var method in new[] { "classifsae", "sae" })
        {
            var json = JsonDocument.Parse(RunPython(Example("concept_activations.py"), runDir, "--method", method)).RootElement;
            var sentences = json.GetProperty("sentences").GetInt32();
            Assert.Equal(800, sentences);
            // One sentence more or less is 0.125 points: float32 rounding in a TopK tie is the only tolerated difference.
            Assert.InRange(json.GetProperty("avg_activation_rate_pct").GetDouble() - StoredMetric(method, "avg_activation_rate_pct"), -100.0 / sentences, 100.0 / sentences);
            Assert.InRange(json.GetProperty("max_activation_rate_pct").GetDouble() - StoredMetric(method, "max_activation_rate_pct"), -100.0 / sentences, 100.0 / sentences);
        }
    }

    [PythonFact]
    public void Compare_methods_reads_a_csv_export_and_prints_the_stored_means()
    {
        var csv = Path.Combine(run.Root, "latest_metrics.csv");
        using (var store = ResultsStore.Open(run.Context.StorePath))
            File.WriteAllText(csv, CsvFormatter.Format(store.Query("SELECT * FROM latest_metrics")));
        var table = RunPython(Example("compare_methods.py"), csv, "--metrics", "recovery_accuracy,cond_label_flip_rate");
        foreach (var method in new[] { "classifsae", "sae", "ica", "conceptshap" })
            foreach (var metric in new[] { "recovery_accuracy", "cond_label_flip_rate" })
            {
                var row = table.Split('\n').Single(l => l.StartsWith($"| {method} | {metric} |", StringComparison.Ordinal));
                var mean = double.Parse(row.Split('|')[3].Trim(), CultureInfo.InvariantCulture);
                Assert.Equal(StoredMetric(method, metric), mean, 4);
                Assert.EndsWith("| 1 |", row.TrimEnd());
            }
    }

    private static string RunPython(params string[] args)
    {
        var psi = new ProcessStartInfo(PythonFactAttribute.Interpreter, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
