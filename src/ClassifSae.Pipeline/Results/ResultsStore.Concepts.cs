namespace ClassifSae.Results;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Replaces the concepts and top sentences of (<paramref name="runId"/>, <paramref name="method"/>) in one
    /// transaction, so a re-evaluation never leaves a mix of old and new rows.
    /// </summary>
    public void ReplaceConcepts(string runId, string method, IReadOnlyList<ConceptRecord> concepts, IReadOnlyList<TopSentenceRecord> sentences)
    {
        ValidateConcepts(runId, method, concepts, sentences);
        using var tx = _connection.BeginTransaction();
        RequireRunsExist([runId]);
        ReplaceConceptRows(runId, method, concepts, sentences);
        tx.Commit();
    }

    private static void ValidateConcepts(string runId, string method, IReadOnlyList<ConceptRecord> concepts, IReadOnlyList<TopSentenceRecord> sentences)
    {
        ArgumentNullException.ThrowIfNull(concepts);
        ArgumentNullException.ThrowIfNull(sentences);
        Require(method, nameof(method));
        if (concepts.Any(c => c.RunId != runId || c.Method != method) || sentences.Any(s => s.RunId != runId || s.Method != method))
            throw new ArgumentException($"Every concept and sentence must belong to run '{runId}', method '{method}'.");
    }

    private void ReplaceConceptRows(string runId, string method, IReadOnlyList<ConceptRecord> concepts, IReadOnlyList<TopSentenceRecord> sentences)
    {
        foreach (var table in new[] { "top_sentences", "concepts" })
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = $"DELETE FROM {table} WHERE run_id = $run_id AND method = $method";
            Add(delete, "run_id", runId);
            Add(delete, "method", method);
            delete.ExecuteNonQuery();
        }
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO concepts (run_id, method, concept, n_concepts, selected, segment_class, segment_class_name, segment_rank,
                                      activation_rate_pct, activation_rate_source, subtopic_purity, pca_x, pca_y)
                VALUES ($run_id, $method, $concept, $n_concepts, $selected, $segment_class, $segment_class_name, $segment_rank,
                        $activation_rate_pct, $activation_rate_source, $subtopic_purity, $pca_x, $pca_y)
                """;
            foreach (var c in concepts)
            {
                cmd.Parameters.Clear();
                Add(cmd, "run_id", c.RunId);
                Add(cmd, "method", c.Method);
                Add(cmd, "concept", c.Concept);
                Add(cmd, "n_concepts", c.NConcepts);
                Add(cmd, "selected", c.Selected);
                Add(cmd, "segment_class", c.SegmentClass);
                Add(cmd, "segment_class_name", c.SegmentClassName);
                Add(cmd, "segment_rank", c.SegmentRank);
                Add(cmd, "activation_rate_pct", Finite(c.ActivationRatePct));
                Add(cmd, "activation_rate_source", c.ActivationRateSource);
                Add(cmd, "subtopic_purity", Finite(c.SubtopicPurity));
                Add(cmd, "pca_x", Finite(c.PcaX));
                Add(cmd, "pca_y", Finite(c.PcaY));
                cmd.ExecuteNonQuery();
            }
        }
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO top_sentences (run_id, method, concept, rank, sentence_index, activation, text, label, sub_topic)
                VALUES ($run_id, $method, $concept, $rank, $sentence_index, $activation, $text, $label, $sub_topic)
                """;
            foreach (var s in sentences)
            {
                cmd.Parameters.Clear();
                Add(cmd, "run_id", s.RunId);
                Add(cmd, "method", s.Method);
                Add(cmd, "concept", s.Concept);
                Add(cmd, "rank", s.Rank);
                Add(cmd, "sentence_index", s.SentenceIndex);
                Add(cmd, "activation", s.Activation);
                Add(cmd, "text", s.Text);
                Add(cmd, "label", s.Label);
                Add(cmd, "sub_topic", s.SubTopic);
                cmd.ExecuteNonQuery();
            }
        }
    }

    /// <summary>NaN and infinities are stored as NULL ("unknown"), never as a number.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
