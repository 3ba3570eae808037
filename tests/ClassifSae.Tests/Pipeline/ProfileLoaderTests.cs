using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Pipeline;

public class ProfileLoaderTests
{
    private const string Minimal = """
        { "name": "t", "models": { "m": {} }, "datasets": { "d": {} } }
        """;

    [Fact]
    public void The_shipped_smoke_profile_parses()
    {
        var p = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        Assert.Equal("smoke", p.Name);
        Assert.Equal(128, p.Models["tiny-neox"].HiddenSize);
        Assert.Equal(10, p.ClassifSae.K);
        Assert.Equal(0.1, p.ClassifSae.ActivationRate);
    }

    [Fact]
    public void Defaults_are_the_papers_hyperparameters()
    {
        var p = ProfileLoader.Parse(Minimal, "t.json");
        Assert.Equal(30_000, p.FineTune.Steps);
        Assert.Equal(2e-6, p.FineTune.LearningRate);
        Assert.Equal(500, p.FineTune.WarmupSteps);
        Assert.Equal(20_000, p.ClassifSae.Steps);
        Assert.Equal(5e-5, p.ClassifSae.LearningRate);
        Assert.Equal(500, p.ClassifSae.BatchSize);
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_file()
    {
        var json = Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"fine_tune\": { \"stepz\": 3 }");
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "bad.json"));
        Assert.StartsWith("bad.json: unknown config key 'stepz'", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void An_unknown_profile_lists_the_known_ones()
    {
        var e = Assert.Throws<UserError>(() => ProfileLoader.Load("nope", RepoPaths.Profiles));
        Assert.Contains("unknown profile 'nope'", e.Message);
        Assert.Contains("smoke", e.Message);
    }

    [Fact]
    public void An_empty_data_set_is_rejected()
    {
        var json = Minimal.Replace("\"d\": {}", "\"d\": { \"train_size\": 0 }");
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "p.json"));
        Assert.Contains("datasets.d: train_size and test_size must be positive", e.Message);
    }
}
