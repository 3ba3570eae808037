using ClassifSae.Results;

namespace ClassifSae.Tests.EndToEnd;

/// <summary>Every latest metric of a store under one key per row (schema 7 keeps class, ablation share and k as columns).</summary>
internal static class StoredMetrics
{
    public const string KeySql =
        "coalesce(method, '-') || '/' || metric || coalesce('/class' || class, '') || coalesce('/' || ablation_pct || 'pct', '') || coalesce('/k' || k, '') || '/' || split";

    public static Dictionary<string, double> All(string storePath)
    {
        using var store = ResultsStore.Open(storePath);
        return store.Query($"SELECT {KeySql}, value FROM latest_metrics").Rows
            .ToDictionary(row => (string)row[0]!, row => Convert.ToDouble(row[1]));
    }
}
