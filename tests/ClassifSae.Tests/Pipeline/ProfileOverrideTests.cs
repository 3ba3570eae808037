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
        Assert.Equal(0.1, _paper.For("pythia-410m", "ag_news").ClassifSae.LambdaMse);
        Assert.Equal((1.0, 1.0), (_paper.For("pythia-410m", "imdb").ClassifSae.LambdaMse, _paper.For("pythia-410m", "imdb").ClassifSae.LambdaActivationRate));
        Assert.Equal((0.2, 0.1), (_paper.For("pythia-1b", "imdb").ClassifSae.LambdaMse, _paper.For("pythia-1b", "imdb").ClassifSae.LambdaActivationRate));
        Assert.Equal(5000, _paper.For("pythia-1b", "imdb").Cache.RowsPerShard);
        Assert.Equal(24000, _paper.For("pythia-1b", "ag_news").Cache.RowsPerShard);
        // Untouched settings keep the profile's values.
        Assert.Equal(30_000, _paper.For("pythia-1b", "imdb").FineTune.Steps);
        Assert.Equal(4, _paper.Models.Count);
        Assert.Equal("faithful", _paper.For("pythia-70m", "imdb").ClassifSae.Loader);
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
