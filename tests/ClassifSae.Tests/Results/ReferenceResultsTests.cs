using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class ReferenceResultsTests
{
    private static long Count(ResultsStore store) => Convert.ToInt64(store.Query("SELECT count(*) FROM reference_results").Rows[0][0]);

    [Fact]
    public void TheShippedCsvIsLoadedOnceWithOurMethodKeys()
    {
        var csvRows = ReferenceResults.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        using (var store = ResultsStore.Open(path)) Assert.Equal(csvRows, Count(store));
        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(csvRows, Count(store)); // reopening never duplicates
            var methods = store.Query("SELECT DISTINCT paper_method, method FROM reference_results ORDER BY paper_method").Rows
                .ToDictionary(r => (string)r[0]!, r => (string?)r[1]);
            Assert.Equal("conceptshap", methods["concept_shap"]);
            Assert.Equal("ica", methods["ica"]);
            Assert.Null(methods["llm_classifier"]);
            Assert.Equal("sae", methods["sae_logistic_regression"]);
            Assert.Equal("classifsae", methods["sae_truncation"]);

            var v = store.Query("""
                SELECT value, value_text FROM reference_results
                WHERE seed = 42 AND model = 'pythia-70m' AND dataset = 'ag_news' AND paper_method = 'ica' AND metric = 'recovery_accuracy'
                """).Rows.Single();
            Assert.Equal(0.9863157894736843, v[0]);
            // Non-numeric entries keep their text and have no value.
            var seg = store.Query("SELECT value, value_text FROM reference_results WHERE metric = 'segment_sizes' LIMIT 1").Rows.Single();
            Assert.Null(seg[0]);
            Assert.Contains("|", (string)seg[1]!);
        }
    }

    [Fact]
    public void TheReferenceSummaryAveragesTheAuthorsTwoSeeds()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var r = store.Query("""
            SELECT n_seeds, mean, seeds FROM reference_summary
            WHERE model = 'pythia-70m' AND dataset = 'ag_news' AND method = 'classifsae' AND metric = 'recovery_accuracy'
            """).Rows.Single();
        Assert.Equal(2L, Convert.ToInt64(r[0]));
        Assert.Equal((0.9760526315789474 + 0.9752631578947368) / 2, Convert.ToDouble(r[1]), 12);
    }
}
