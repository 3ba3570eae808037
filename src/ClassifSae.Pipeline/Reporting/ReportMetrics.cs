namespace ClassifSae.Reporting;

/// <summary>The metrics the summary tables show, in column order (as named in the metrics table).</summary>
public static class ReportMetrics
{
    /// <summary>Test accuracy of the fine-tuned classifier; recorded without a method.</summary>
    public const string ClassifierAccuracy = "llm_accuracy_test";

    public static readonly IReadOnlyList<string> Key =
    [
        "recovery_accuracy",
        "reconstruction_accuracy",
        "avg_activation_rate_pct",
        "max_activation_rate_pct",
        "top_sentence_subtopic_purity",
        ClassifierAccuracy,
    ];

    /// <summary>Column order for splits: the held-out split first.</summary>
    public static int SplitOrder(string split) => split switch
    {
        "test" => 0,
        "validation" => 1,
        "train" => 2,
        _ => 3,
    };
}
