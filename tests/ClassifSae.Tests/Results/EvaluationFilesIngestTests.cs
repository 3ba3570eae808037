using ClassifSae.Pipeline.Ingest;

namespace ClassifSae.Tests.Results;

/// <summary>The Evaluate stage's files (as EvaluateStage writes them) become concept and top-sentence rows.</summary>
public class EvaluationFilesIngestTests
{
    [Fact]
    public void SelectedSegmentedAndTopSentencesAreRead()
    {
        using var dir = new TempFolder();
        var n = Path.Combine(dir.Path, "classifsae", "4");
        Directory.CreateDirectory(Path.Combine(n, "test", "interpretability"));
        File.WriteAllText(Path.Combine(n, "selected_features.json"), "[0,2,3]");
        File.WriteAllText(Path.Combine(n, "segmented_features.json"), "[[2],[3,0]]");
        File.WriteAllText(Path.Combine(n, "test", "interpretability", "top_sentences.json"), """
            [
              {"concept": 2, "segment_class": 0, "segment_class_name": "World", "subtopic_purity": 0.75,
               "sentences": [{"sentence_index": 7, "activation": 3.5, "label": 0, "sub_topic": 1, "text": "a"},
                             {"sentence_index": 9, "activation": 2.5, "label": 0, "sub_topic": 2, "text": "b"}]},
              {"concept": 3, "segment_class": 1, "segment_class_name": "Sports", "subtopic_purity": null,
               "sentences": [{"sentence_index": 1, "activation": 1.0, "label": 1, "sub_topic": -1, "text": "c"}]},
              {"concept": 0, "segment_class": 1, "segment_class_name": "Sports", "subtopic_purity": null, "sentences": []}
            ]
            """);
        Directory.CreateDirectory(Path.Combine(dir.Path, "classifsae", "not-a-number"));
        // Recorded by Evaluate in its own folder (rates copied from Train's sparsity file, the decoder PCA).
        File.WriteAllText(Path.Combine(n, "test", "activation_rates.json"), """{"source": "sparsity", "rates_pct": [{"concept": 2, "pct": 11.0}]}""");
        Directory.CreateDirectory(Path.Combine(n, "test", "pca_figures"));
        File.WriteAllText(Path.Combine(n, "test", "pca_figures", "concept_pca.json"), """[{"concept": 3, "x": -1.5, "y": 0.25}]""");

        var folder = Assert.Single(EvaluationFiles.Find(dir.Path));
        Assert.Equal(("classifsae", 4), (folder.Method, folder.NConcepts));

        var (concepts, sentences) = EvaluationFiles.Read("run", folder);
        Assert.Equal([0, 1, 2, 3], concepts.Select(c => c.Concept));
        Assert.Equal([true, false, true, true], concepts.Select(c => c.Selected));
        Assert.Equal([1, null, 0, 1], concepts.Select(c => c.SegmentClass));
        Assert.Equal([1, null, 0, 0], concepts.Select(c => c.SegmentRank));
        Assert.Equal(["Sports", null, "World", "Sports"], concepts.Select(c => c.SegmentClassName));
        Assert.Equal(11.0, concepts[2].ActivationRatePct);
        Assert.Equal("sparsity", concepts[2].ActivationRateSource);
        Assert.Null(concepts[0].ActivationRatePct);
        Assert.Null(concepts[0].ActivationRateSource);
        Assert.Equal(0.75, concepts[2].SubtopicPurity);
        Assert.Equal((-1.5, 0.25), (concepts[3].PcaX!.Value, concepts[3].PcaY!.Value));
        Assert.Null(concepts[2].PcaX);

        Assert.Equal(3, sentences.Count);
        Assert.Equal((2, 1, 7, 3.5, "a", 0, (int?)1), (sentences[0].Concept, sentences[0].Rank, sentences[0].SentenceIndex, sentences[0].Activation, sentences[0].Text, sentences[0].Label, sentences[0].SubTopic));
        Assert.Equal(2, sentences[1].Rank);
        Assert.Null(sentences[2].SubTopic); // -1 = no planted sub-topic
    }
}
