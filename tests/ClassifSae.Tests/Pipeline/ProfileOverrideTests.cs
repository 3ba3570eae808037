using ClassifSae.Concepts.Sae;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Pipeline;

public class ProfileOverrideTests
{
    private readonly Profile _paper = ProfileLoader.Load("paper", RepoPaths.Profiles);

    [Fact]
    public void The_paper_profile_sets_the_original_per_cell_hyperparameters()
    {
        Assert.Equal(2, _paper.For("pythia-70m", "ag_news").FineTune.BatchSize);
        Assert.Equal(4, _paper.For("pythia-70m", "imdb").FineTune.BatchSize);
        Assert.Equal(0.1, _paper.For("pythia-410m", "ag_news").Settings<ClassifSaeSettings>().LambdaMse);
        Assert.Equal((1.0, 1.0), (_paper.For("pythia-410m", "imdb").Settings<ClassifSaeSettings>().LambdaMse, _paper.For("pythia-410m", "imdb").Settings<ClassifSaeSettings>().LambdaActivationRate));
        Assert.Equal((0.2, 0.1), (_paper.For("pythia-1b", "imdb").Settings<ClassifSaeSettings>().LambdaMse, _paper.For("pythia-1b", "imdb").Settings<ClassifSaeSettings>().LambdaActivationRate));
        Assert.Equal(5000, _paper.For("pythia-1b", "imdb").Cache.RowsPerShard);
        Assert.Equal(24000, _paper.For("pythia-1b", "ag_news").Cache.RowsPerShard);
        // Untouched settings keep the profile's values.
        Assert.Equal(30_000, _paper.For("pythia-1b", "imdb").FineTune.Steps);
        Assert.Equal(4, _paper.Models.Count);
        Assert.Equal("faithful", _paper.For("pythia-70m", "imdb").Settings<ClassifSaeSettings>().Loader);
    }

    [Fact]
    public void The_paper_profile_sets_the_per_cell_ConceptShap_threshold_of_spec_02()
    {
        // Spec 02 §2.2: θ = 0.2 on IMDB and for 70m; 0.1 for 410m on AG News; 0.15 (the default) for 160m and 1b on AG News.
        Assert.Equal(0.2, _paper.For("pythia-70m", "ag_news").Settings<ConceptShapSettings>().Threshold);
        Assert.Equal(0.15, _paper.For("pythia-160m", "ag_news").Settings<ConceptShapSettings>().Threshold);
        Assert.Equal(0.1, _paper.For("pythia-410m", "ag_news").Settings<ConceptShapSettings>().Threshold);
        Assert.Equal(0.15, _paper.For("pythia-1b", "ag_news").Settings<ConceptShapSettings>().Threshold);
        foreach (var m in new[] { "pythia-70m", "pythia-160m", "pythia-410m", "pythia-1b" })
            Assert.Equal(0.2, _paper.For(m, "imdb").Settings<ConceptShapSettings>().Threshold);
    }

    [Fact]
    public void Every_per_cell_section_can_be_overridden()
    {
        const string json = """
            { "name": "p", "models": { "a": {}, "b": {} }, "datasets": { "d": {} },
              "overrides": [ { "models": ["b"], "sae": { "n_concepts": 7 }, "ica": { "components": 9 },
                               "concept_shap": { "threshold": 0.3 }, "evaluate": { "top_sentences": 4 } } ] }
            """;
        var p = ProfileLoader.Parse(json, "p.json");
        var (a, b) = (p.For("a", "d"), p.For("b", "d"));
        Assert.Equal((20, 20, 0.15, 10), (a.Settings<SaeBaselineSettings>().NConcepts, a.Settings<IcaSettings>().Components, a.Settings<ConceptShapSettings>().Threshold, a.Evaluate.TopSentences));
        Assert.Equal((7, 9, 0.3, 4), (b.Settings<SaeBaselineSettings>().NConcepts, b.Settings<IcaSettings>().Components, b.Settings<ConceptShapSettings>().Threshold, b.Evaluate.TopSentences));
        // Keys the override leaves alone keep the profile's values.
        Assert.Equal(512, b.Settings<ConceptShapSettings>().HiddenDim);
    }

    [Fact]
    public void An_override_with_an_unknown_key_or_model_is_rejected()
    {
        const string baseJson = """{ "name": "p", "models": { "m": {} }, "datasets": { "d": {} }, "overrides": [ OVERRIDE ] }""";
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(baseJson.Replace("OVERRIDE", """{ "fine_tune": { "batchsize": 3 } }"""), "p.json"));
        Assert.Contains("unknown config key 'batchsize'", e.Message);
        e = Assert.Throws<UserError>(() => ProfileLoader.Parse(baseJson.Replace("OVERRIDE", """{ "models": ["x"] }"""), "p.json"));
        Assert.Contains("unknown model 'x'", e.Message);
    }
}
