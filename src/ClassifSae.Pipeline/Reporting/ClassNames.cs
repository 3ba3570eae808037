using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>Class names of a run as the store knows them (the segment classes of its concepts); "class N" where unknown.</summary>
internal static class ClassNames
{
    public static Func<int, string> Of(ResultsStore store, string runId)
    {
        var names = store.Query("""
            SELECT segment_class, any_value(segment_class_name) FROM concepts
            WHERE run_id = $run AND segment_class IS NOT NULL AND segment_class_name IS NOT NULL GROUP BY segment_class
            """, new Dictionary<string, object?> { ["run"] = runId }).Rows
            .ToDictionary(r => Convert.ToInt32(r[0]), r => (string)r[1]!);
        return c => names.TryGetValue(c, out var n) ? n : $"class {c}";
    }
}
