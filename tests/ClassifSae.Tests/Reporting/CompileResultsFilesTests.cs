using ClassifSae.Reporting.Compile;
using ClassifSae.Results;
using ClassifSae.Tests.Results;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// Upstream's compile_results outputs (spec 04 §6.6) from a hand-made store; the expected texts are what Python's
/// json.dumps(indent=4, ensure_ascii=False) and "%.3f" print for the same values.
/// </summary>
public class CompileResultsFilesTests
{
    private static CompiledMetrics Compiled()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var old = SampleRecords.Run("old", seed: 42, method: null, model: "pythia_410m", dataset: "ag_news", profile: "upstream", createdAt: t);
        var run = SampleRecords.Run("new", seed: 42, method: null, model: "pythia_410m", dataset: "ag_news", profile: "upstream", createdAt: t.AddHours(1));
        var otherSeed = SampleRecords.Run("s43", seed: 43, method: null, model: "pythia_410m", dataset: "ag_news", profile: "upstream", createdAt: t.AddHours(2));
        foreach (var r in new[] { old, run, otherSeed }) store.RecordRun(r);
        MetricRow M(RunRecord r, string method, string metric, double v, string split = "test") =>
            SampleRecords.Metric(r, metric, v, split, sameMethodAsRun: false, method: method);
        store.AppendMetrics([
            M(old, "ica", "recovery_accuracy", 0.5),                  // superseded by the newer run
            M(run, "ica", "recovery_accuracy", 0.875),
            M(run, "conceptshap", "recovery_accuracy", 0.9),
            M(run, "sae", "recovery_accuracy", 0.95),
            M(run, "classifsae", "recovery_accuracy", 0.97),
            M(run, "classifsae", "recovery_accuracy", 0.1, split: "train"),
            M(otherSeed, "hiconcept", "recovery_accuracy", 0.8),      // another seed: not this run's
            M(run, "ica", "avg_activation_rate_pct", 1e-5),
            M(run, "classifsae", "avg_activation_rate_pct", 12.5),
            M(run, "classifsae", "cond_label_flip_rate", 0.2),
            M(run, "sae", "cond_tvd", 0.1234567),
            M(run, "ica", "conceptsim_weighted", 3.0),
            M(run, "classifsae", "sentencesim_k1", 0.25),
            M(run, "classifsae", "sentencesim_k3", 0.125),
        ]);
        return CompileResultsFiles.Read(store, "upstream", "pythia_410m", "ag_news", 42);
    }

    [Fact]
    public void The_json_is_what_python_writes()
    {
        const string expected = """
            {
                "RAcc": {
                    "ICA": 0.875,
                    "ConceptShap": 0.9,
                    "HIConcept": null,
                    "SAE": 0.95,
                    "ClassifSAE": 0.97
                },
                "Avg. Act. Rate": {
                    "ICA": 1e-05,
                    "ConceptShap": null,
                    "HIConcept": null,
                    "SAE": null,
                    "ClassifSAE": 12.5
                },
                "Delta_f_cond": {
                    "ICA": null,
                    "ConceptShap": null,
                    "HIConcept": null,
                    "SAE": null,
                    "ClassifSAE": 0.2
                },
                "TVD_cond": {
                    "ICA": null,
                    "ConceptShap": null,
                    "HIConcept": null,
                    "SAE": 0.1234567,
                    "ClassifSAE": null
                },
                "ConceptSim": {
                    "ICA": 3.0,
                    "ConceptShap": null,
                    "HIConcept": null,
                    "SAE": null,
                    "ClassifSAE": null
                }
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), CompileResultsFiles.MetricsJson(Compiled()));
    }

    [Fact]
    public void The_markdown_table_is_upstreams()
    {
        const string expected = """
            **Table.** Evaluation metrics for `pythia-410m` on `ag news`.

            <!-- tab:ag_news_metrics -->

            | Metric | ICA | ConceptShap | HIConcept | SAE | ClassifSAE |
            |:-------| ---: | ---: | ---: | ---: | ---: |
            | RAcc | 0.875 | 0.900 | -- | 0.950 | 0.970 |
            | Avg. Act. Rate | 0.000 | -- | -- | -- | 12.500 |
            | $\Delta f^{cond}$ | -- | -- | -- | -- | 0.200 |
            | $TVD_{cond}$ | -- | -- | -- | 0.123 | -- |
            | ConceptSim | 3.000 | -- | -- | -- | -- |

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), CompileResultsFiles.MarkdownTable(Compiled()));
    }

    [Fact]
    public void SentenceSim_curves_keep_gaps_and_both_files_are_written()
    {
        var compiled = Compiled();
        Assert.Equal([0.25, null, 0.125, null], compiled.SentenceSim["ClassifSAE"]);
        using var dir = new TempFolder();
        CompileResultsFiles.Write(compiled, dir.File("out"));
        Assert.Equal(CompileResultsFiles.MarkdownTable(compiled), File.ReadAllText(Path.Combine(dir.File("out"), CompileResultsFiles.TableFile)));
        Assert.StartsWith("{\n    \"RAcc\"", File.ReadAllText(Path.Combine(dir.File("out"), CompileResultsFiles.MetricsFile)));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(42.0, "42.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    public void Floats_print_as_pythons_repr(double value, string expected) =>
        Assert.Equal(expected, CompileResultsFiles.PythonFloat(value));
}
