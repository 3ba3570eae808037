using ClassifSae.Pipeline;
using ClassifSae.Settings;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// An override's <c>methods</c>: the list a matching cell trains and evaluates. The smoke profile uses it so that
/// <c>--method-version upstream-2026</c> runs all five methods (HI-Concept is upstream's) while the paper's version runs four.
/// </summary>
public sealed class VersionMethodsOverrideTests
{
    private const string Cell = "\"models\": { \"m\": {} }, \"datasets\": { \"d\": {}, \"e\": {} }";

    private static Profile Parse(string extra) => ProfileLoader.Parse($$"""{ "name": "t", {{Cell}}, "methods": ["classifsae", "sae"]{{extra}} }""", "t.json");

    [Fact]
    public void The_smoke_profile_runs_four_methods_as_the_paper_and_five_as_upstream()
    {
        var smoke = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var ctx = Context(smoke);
        var key = ctx.Keys().Single();
        Assert.Equal(["classifsae", "sae", "ica", "conceptshap"], ctx.For(key).SelectedMethods());
        var upstream = Context(ProfileLoader.WithMethodVersion(smoke, MethodVersion.Upstream2026, "smoke"));
        Assert.Equal(["classifsae", "sae", "ica", "conceptshap", "hiconcept"], upstream.For(key).SelectedMethods());
        // --methods still wins over the profile's list.
        Assert.Equal(["ica"], (upstream with { Methods = ["ica"] }).For(key).SelectedMethods());
    }

    [Fact]
    public void A_methods_override_applies_to_its_version_and_cells_only()
    {
        var p = Parse(""", "overrides": [ { "method_version": "upstream-2026", "datasets": ["e"], "methods": ["ica", "hiconcept"] } ]""");
        Assert.Equal(["classifsae", "sae"], p.For("m", "e").Methods);
        var upstream = ProfileLoader.WithMethodVersion(p, MethodVersion.Upstream2026, "t.json");
        Assert.Equal(["ica", "hiconcept"], upstream.For("m", "e").Methods);
        Assert.Equal(["classifsae", "sae"], upstream.For("m", "d").Methods);
    }

    [Fact]
    public void An_unknown_method_in_an_override_is_a_one_line_error()
    {
        var e = Assert.Throws<UserError>(() => Parse(""", "overrides": [ { "methods": ["hi_concept"] } ]"""));
        Assert.StartsWith("t.json: overrides[0]: methods names unknown method(s) hi_concept (known: ", e.Message);
    }

    [Fact]
    public void An_unused_methods_key_leaves_the_run_id_as_before()
    {
        // Profiles without the key hash as they did before it existed (their runs keep their ids).
        var p = Parse(""", "overrides": [ { "method_version": "upstream-2026", "classif_sae": { "k": 3 } } ]""");
        Assert.DoesNotContain("\"methods\":null", System.Text.Json.JsonSerializer.Serialize(p.Overrides[0], global::ClassifSae.Formats.SnakeCaseJson.Options));
    }

    private static RunContext Context(Profile p) => new()
    {
        Profile = p, RunsDir = "/runs", StorePath = "/s.duckdb", Device = TorchSharp.torch.CPU, DeviceName = "cpu", Threads = 1,
    };
}
