using DuckDB.NET.Data;

namespace ClassifSae.Results;

/// <summary>
/// The original authors' published numbers (results-db/reference/paper_results.csv, embedded), loaded into the
/// <c>reference_results</c> table when that table is empty. Loading twice never duplicates rows.
/// </summary>
public static class ReferenceResults
{
    public const string ResourceName = "ClassifSae.Results.paper_results.csv";

    /// <summary>Where the numbers come from, for report captions.</summary>
    public const string Citation =
        "Le Bail et al., \"Unveiling Decision-Making in LLMs for Text Classification: Extraction of influential and interpretable " +
        "concepts with Sparse Autoencoders\", arXiv:2506.23951 (2025); numbers from the authors' repository orailix/ClassifSAE " +
        "(results_seed_42, results_seed_43)";

    /// <summary>The embedded CSV, verbatim.</summary>
    public static string Csv()
    {
        using var s = typeof(ReferenceResults).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Resource {ResourceName} is not embedded in {typeof(ReferenceResults).Assembly.GetName().Name}.");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <returns>The number of rows inserted (0 when the table already had rows).</returns>
    internal static int EnsureLoaded(DuckDBConnection connection)
    {
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM reference_results";
            if (Convert.ToInt64(count.ExecuteScalar()) > 0) return 0;
        }
        var tmp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"classifsae-reference-{Guid.NewGuid():N}.csv");
        File.WriteAllText(tmp, Csv());
        try
        {
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            var (metric, cls, pct, k) = MetricNames.SqlColumns("metric");
            cmd.CommandText = $"""
                INSERT INTO reference_results (seed, model, dataset, method, paper_method, metric, value, value_text, class, ablation_pct, k, paper_metric)
                SELECT CAST(seed AS INTEGER), model, dataset,
                       CASE method WHEN 'sae_truncation' THEN 'classifsae'
                                   WHEN 'sae_logistic_regression' THEN 'sae'
                                   WHEN 'ica' THEN 'ica'
                                   WHEN 'concept_shap' THEN 'conceptshap'
                                   ELSE NULL END,
                       method, {metric}, TRY_CAST(value AS DOUBLE), value, {cls}, {pct}, {k}, metric
                FROM read_csv('{tmp.Replace("'", "''")}', header = true, delim = ',', all_varchar = true)
                ON CONFLICT DO NOTHING
                """;
            var inserted = cmd.ExecuteNonQuery();
            tx.Commit();
            return inserted;
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
