using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Settings;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// The profile's <c>method_version</c>: checked at load, the paper's by default, selecting version-specific overrides, and
/// giving Train and Evaluate (only) their own folders and identity, so both versions sit beside each other on one cache.
/// </summary>
public sealed class MethodVersionSwitchTests
{
    private const string Cell = "\"models\": { \"m\": {} }, \"datasets\": { \"d\": {} }";

    private static Profile Parse(string extra = "") => ProfileLoader.Parse($$"""{ "name": "t", {{Cell}}{{extra}} }""", "t.json");

    [Fact]
    public void The_paper_version_is_the_default()
    {
        Assert.Equal(MethodVersion.Paper2025, Parse().MethodVersion);
        Assert.Equal(MethodVersion.Upstream2026, Parse(", \"method_version\": \"upstream-2026\"").MethodVersion);
    }

    [Fact]
    public void An_unknown_version_is_a_one_line_error_naming_the_key()
    {
        var e = Assert.Throws<UserError>(() => Parse(", \"method_version\": \"upstream\""));
        Assert.Equal("t.json: method_version = 'upstream' must be one of 'paper-2025', 'upstream-2026'", e.Message);
        var o = Assert.Throws<UserError>(() => Parse(", \"overrides\": [ { \"method_version\": \"2026\", \"classif_sae\": { \"k\": 3 } } ]"));
        Assert.Equal("t.json: overrides[0].method_version = '2026' must be one of 'paper-2025', 'upstream-2026'", o.Message);
    }

    [Fact]
    public void A_version_override_applies_only_to_runs_of_that_version()
    {
        var profile = Parse(", \"overrides\": [ { \"method_version\": \"upstream-2026\", \"classif_sae\": { \"lambda_mse\": 0.02 } } ]");
        Assert.Equal(0.1, profile.For("m", "d").Settings<global::ClassifSae.Concepts.Sae.ClassifSaeSettings>().LambdaMse);
        var upstream = ProfileLoader.WithMethodVersion(profile, MethodVersion.Upstream2026, "t.json");
        Assert.Equal(0.02, upstream.For("m", "d").Settings<global::ClassifSae.Concepts.Sae.ClassifSaeSettings>().LambdaMse);
    }

    [Fact]
    public void Only_train_and_evaluate_get_a_folder_per_version()
    {
        var ctx = new RunContext
        {
            Profile = Parse(), RunsDir = "/runs", StorePath = "/s.duckdb", Device = CPU, DeviceName = "cpu", Threads = 1,
        };
        var upstream = ctx with { Profile = ctx.Profile with { MethodVersion = MethodVersion.Upstream2026 } };
        var key = new PipelineKey("m", "d");
        foreach (var stage in new[] { StageNames.FineTune, StageNames.Cache })
            Assert.Equal(ctx.StageDir(stage, key), upstream.StageDir(stage, key));
        Assert.Equal("/runs/t/m/d/seed42/train", ctx.StageDir(StageNames.Train, key));
        Assert.Equal("/runs/t/m/d/seed42/train-upstream-2026", upstream.StageDir(StageNames.Train, key));
        Assert.Equal("/runs/t/m/d/seed42/evaluate-upstream-2026", upstream.StageDir(StageNames.Evaluate, key));
        Assert.NotEqual(ctx.RunId(key), upstream.RunId(key));
        Assert.Contains("method_version", StageRegistry.Get(StageNames.Train).OwnedSections);
    }
}
