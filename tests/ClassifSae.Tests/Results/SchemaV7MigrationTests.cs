using ClassifSae.Results;
using DuckDB.NET.Data;

namespace ClassifSae.Tests.Results;

/// <summary>Version 7: class, ablation share and k are columns, split out of the packed metric names of older stores.</summary>
public class SchemaV7MigrationTests
{
    private static readonly (string Packed, string Metric, int? Class, int? Pct, int? K)[] Names =
    [
        ("category2_label_flip_75pct", "category_label_flip", 2, 75, null),
        ("category0_acc_change_25pct", "category_acc_change", 0, 25, null),
        ("category13_tvd_100pct", "category_tvd", 13, 100, null),
        ("global_tvd_50pct", "global_tvd", null, 50, null),
        ("global_label_flip_100pct", "global_label_flip", null, 100, null),
        ("reconstruction_f1-score_3", "reconstruction_f1_score", 3, null, null),
        ("reconstruction_recall_0", "reconstruction_recall", 0, null, null),
        ("reconstruction_precision_12", "reconstruction_precision", 12, null, null),
        ("sentencesim_k2", "sentencesim", null, null, 2),
        ("recovery_accuracy", "recovery_accuracy", null, null, null),
        ("cond_label_flip_rate", "cond_label_flip_rate", null, null, null),
        ("avg_activation_rate_pct", "avg_activation_rate_pct", null, null, null),
        ("reconstruction_accuracy", "reconstruction_accuracy", null, null, null),
        ("global_diversity", "global_diversity", null, null, null),
    ];

    [Fact]
    public void The_split_in_csharp_gives_the_expected_columns()
    {
        foreach (var (packed, metric, cls, pct, k) in Names)
            Assert.Equal(new MetricKey(metric, cls, pct, k), MetricNames.Split(packed));
    }

    [Fact]
    public void A_version6_store_gets_its_packed_names_split_and_the_same_layout_as_a_new_store()
    {
        using var dir = new TempFolder();
        var path = dir.File("results.duckdb");
        var run = SampleRecords.Run("smoke/tiny/planted/seed0/abc", method: null);
        using (var store = ResultsStore.Open(path))
            store.RecordRun(run);
        DowngradeToVersion6(path, Names.Select(n => n.Packed));

        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            var rows = store.Query("SELECT metric, class, ablation_pct, k, value FROM metrics ORDER BY value").Rows;
            Assert.Equal(Names.Length, rows.Count);
            for (var i = 0; i < Names.Length; i++)
            {
                var (_, metric, cls, pct, k) = Names[i];
                Assert.Equal((metric, cls, pct, k), ((string)rows[i][0]!, Int(rows[i][1]), Int(rows[i][2]), Int(rows[i][3])));
            }
            // The published numbers were reloaded split the same way, keeping the name as published.
            var reference = store.Query("""
                SELECT metric, class, ablation_pct, k FROM reference_results
                WHERE paper_metric IN ('global_tvd_50pct', 'reconstruction_f1-score_1', 'sentencesim_k3') AND seed = 42 AND model = 'pythia-70m'
                  AND dataset = 'ag_news' AND method = 'classifsae' ORDER BY paper_metric
                """).Rows;
            Assert.Equal([("global_tvd", null, 50, null), ("reconstruction_f1_score", 1, null, null), ("sentencesim", null, null, 3)],
                reference.Select(r => ((string)r[0]!, Int(r[1]), Int(r[2]), Int(r[3]))));
            Assert.Equal(0L, Convert.ToInt64(store.Query("SELECT count(*) FROM reference_results WHERE metric LIKE '%pct' AND metric <> 'avg_activation_rate_pct' AND metric <> 'max_activation_rate_pct'").Rows[0][0]));
            // The paper table still pairs our SentenceSim(k) with the published one of the same k.
            Assert.Equal(4L, Convert.ToInt64(store.Query("SELECT count(DISTINCT k) FROM paper_table WHERE metric = 'sentencesim'").Rows[0][0]));
        }

        using var fresh = ResultsStore.Open(dir.File("fresh.duckdb"));
        using var upgraded = ResultsStore.Open(path);
        const string columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position";
        Assert.Equal(CsvFormatter.Format(fresh.Query(columns)), CsvFormatter.Format(upgraded.Query(columns)));
        Assert.Equal(Convert.ToInt64(fresh.Query("SELECT count(*) FROM reference_results").Rows[0][0]),
            Convert.ToInt64(upgraded.Query("SELECT count(*) FROM reference_results").Rows[0][0]));
    }

    [Fact]
    public void A_packed_name_written_now_is_stored_split()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        var run = SampleRecords.Run("r1");
        store.RecordRun(run);
        store.AppendMetrics([SampleRecords.Metric(run, "category1_tvd_50pct", 0.25), SampleRecords.Metric(run, "llm_f1_score", 0.5) with { Class = 2 }]);
        var rows = store.Query("SELECT metric, class, ablation_pct FROM metrics ORDER BY metric").Rows;
        Assert.Equal([("category_tvd", 1, 50), ("llm_f1_score", 2, null)], rows.Select(r => ((string)r[0]!, Int(r[1]), Int(r[2]))));
    }

    private static int? Int(object? v) => v is null ? null : Convert.ToInt32(v);

    /// <summary>Takes a current store back to the version 5 layout with the given packed metric names (value = position).</summary>
    internal static void DowngradeToVersion6(string path, IEnumerable<string> packedMetrics)
    {
        using var raw = new DuckDBConnection($"Data Source={path}");
        raw.Open();
        using var cmd = raw.CreateCommand();
        var views = new[] { "paper_table", "ours_summary", "reference_summary", "paper_methods", "paper_metrics", "latest_runs", "summary", "latest_metrics" };
        var inserts = packedMetrics.ToList().Select((m, i) =>
            $"INSERT INTO metrics VALUES ('smoke/tiny/planted/seed0/abc', 'evaluate', 'bert-base', 'ag_news', 'classifsae', 0, 'test', '{m}', {i}, TIMESTAMP '2025-01-02 03:04:05', 1, NULL);");
        cmd.CommandText = string.Join(";\n", views.Select(v => $"DROP VIEW IF EXISTS {v}")) + """
            ;
            ALTER TABLE runs DROP COLUMN rope_scaling;
            DROP TABLE IF EXISTS concept_histograms;
            DROP TABLE concept_effects; DROP TABLE training_curves; DROP TABLE confusion;
            ALTER TABLE metrics DROP COLUMN class; ALTER TABLE metrics DROP COLUMN ablation_pct; ALTER TABLE metrics DROP COLUMN k;
            DROP TABLE reference_results;
            CREATE TABLE reference_results (seed INTEGER NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL, method TEXT, paper_method TEXT NOT NULL,
                metric TEXT NOT NULL, value DOUBLE, value_text TEXT NOT NULL, PRIMARY KEY (seed, model, dataset, paper_method, metric));
            INSERT INTO reference_results VALUES (42, 'pythia-70m', 'ag_news', 'classifsae', 'sae_truncation', 'global_tvd_50pct', 0.5, '0.5');
            """ + string.Join("\n", inserts) + "UPDATE schema_info SET version = 6;";
        cmd.ExecuteNonQuery();
    }
}
