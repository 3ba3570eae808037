using ClassifSae.Concepts.Sae;
using ClassifSae.Concepts.Ica;
using ClassifSae.Concepts.ConceptShap;
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
        Assert.Equal(10, p.Settings<ClassifSaeSettings>().K);
        Assert.Equal(0.1, p.Settings<ClassifSaeSettings>().ActivationRate);
    }

    [Fact]
    public void Defaults_are_the_papers_hyperparameters()
    {
        var p = ProfileLoader.Parse(Minimal, "t.json");
        Assert.Equal(30_000, p.FineTune.Steps);
        Assert.Equal(2e-6, p.FineTune.LearningRate);
        Assert.Equal(500, p.FineTune.WarmupSteps);
        Assert.Equal(20_000, p.Settings<ClassifSaeSettings>().Steps);
        Assert.Equal(5e-5, p.Settings<ClassifSaeSettings>().LearningRate);
        Assert.Equal(500, p.Settings<ClassifSaeSettings>().BatchSize);
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_file()
    {
        var json = Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"fine_tune\": { \"stepz\": 3 }");
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "bad.json"));
        Assert.StartsWith("bad.json: unknown config key 'stepz'", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [InlineData("\"classif_sea\": { \"k\": 3 }", "bad.json: unknown config key 'classif_sea' (concept method sections: classif_sae, sae, ica, concept_shap)")]
    [InlineData("\"classif_sae\": { \"kk\": 3 }", "bad.json: unknown config key 'kk' at $.classif_sae")]
    [InlineData("\"overrides\": [ { \"icaa\": { } } ]", "bad.json: overrides[0]: unknown config key 'icaa'")]
    [InlineData("\"overrides\": [ { \"ica\": { \"componentz\": 3 } } ]", "bad.json: overrides[0]: unknown config key 'componentz'")]
    public void A_method_section_is_checked_by_the_method_registry(string entry, string expected)
    {
        var json = Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", " + entry);
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "bad.json"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_method_section_left_out_reads_as_its_defaults_and_hashes_like_the_defaults_written_out()
    {
        var omitted = ProfileLoader.Parse(Minimal, "a.json");
        var written = ProfileLoader.Parse(Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"ica\": { \"components\": 20 }"), "b.json");
        var changed = ProfileLoader.Parse(Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"ica\": { \"components\": 21 }"), "c.json");
        Assert.Equal(20, omitted.Settings<IcaSettings>().Components);
        var key = new PipelineKey("m", "d");
        string Train(Profile p) => ProfileSections.Select(p, key, ["classif_sae", "sae", "ica", "concept_shap"]).ToJsonString();
        Assert.Equal(Train(omitted), Train(written));
        Assert.NotEqual(Train(omitted), Train(changed));
        Assert.Contains("\"components\":21", Train(changed));
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
        Assert.Contains("datasets.d.train_size = 0 must be at least classes × sub_topics_per_class = 12", e.Message);
    }

    /// <summary>
    /// Every bad setting of issue 12 (item 4), each one line naming the key path and its allowed range, raised at load.
    /// The minimal profile's scratch model is 64 wide (d_sae = 2 · 64 = 128) and its planted data set has 4 000 train rows.
    /// </summary>
    public static TheoryData<string, string, string> BadSettings => new()
    {
        // section (replaces the top-level key or the model/data set body), its JSON, the expected message after "t.json: "
        { "classif_sae", """{ "k": 300 }""", "classif_sae.k = 300 must be in [1, d_sae = 128] (model 'm', data set 'd')" },
        { "classif_sae", """{ "n_concepts": 129 }""", "classif_sae.n_concepts = 129 must be in [1, d_sae = 128] (model 'm', data set 'd')" },
        { "classif_sae", """{ "expansion_factor": 4, "k": 257 }""", "classif_sae.k = 257 must be in [1, d_sae = 256]" },
        { "sae", """{ "n_concepts": 200 }""", "sae.n_concepts = 200 must be in [1, d_sae = 128]" },
        { "classif_sae", """{ "expansion_factor": 0 }""", "classif_sae.expansion_factor = 0 must be in [1, 1024]" },
        { "classif_sae", """{ "expansion_factor": -2 }""", "classif_sae.expansion_factor = -2 must be in [1, 1024]" },
        { "classif_sae", """{ "learning_rate": -0.001 }""", "classif_sae.learning_rate = -0.001 must be positive" },
        { "classif_sae", """{ "batch_size": 1 }""", "classif_sae.batch_size = 1 must be at least 2" },
        { "classif_sae", """{ "loader": "sequential" }""", "classif_sae.loader = 'sequential' must be one of 'iid', 'faithful'" },
        { "ica", """{ "components": 65 }""", "ica.components = 65 must be in [1, d (the hook width) = 64]" },
        { "ica", """{ "tolerance": 0 }""", "ica.tolerance = 0 must be positive" },
        { "concept_shap", """{ "learning_rate": -1 }""", "concept_shap.learning_rate = -1 must be positive" },
        { "concept_shap", """{ "threshold": 1.5 }""", "concept_shap.threshold = 1.5 must be in [0, 1)" },
        { "fine_tune", """{ "eval_batch_size": -4 }""", "fine_tune.eval_batch_size = -4 must be at least 1" },
        { "fine_tune", """{ "learning_rate": -2e-6 }""", "fine_tune.learning_rate = -2E-06 must be positive" },
        { "fine_tune", """{ "max_length": 0 }""", "fine_tune.max_length = 0 must be at least 1" },
        { "cache", """{ "batch_size": 0 }""", "cache.batch_size = 0 must be at least 1" },
        { "cache", """{ "rows_per_shard": -5 }""", "cache.rows_per_shard = -5 must be at least 1" },
        { "evaluate", """{ "batch_size": 0 }""", "evaluate.batch_size = 0 must be at least 1" },
        { "evaluate", """{ "top_sentences": -3 }""", "evaluate.top_sentences = -3 must be at least 1" },
        { "m", """{ "max_positions": -1 }""", "models.m.max_positions = -1 must be at least 1" },
        { "m", """{ "family": "bloom" }""", "models.m.family = 'bloom' must be one of 'gpt_neox'" },
        { "m", """{ "hidden_size": 30 }""", "models.m.hidden_size = 30 must be a positive multiple of num_heads = 4" },
        { "d", """{ "classes": 5 }""", "datasets.d.classes = 5 must be in [2, the planted corpus's classes = 4]" },
        { "d", """{ "sub_topics_per_class": 9 }""", "datasets.d.sub_topics_per_class = 9 must be in [1, the planted corpus's sub-topics = 3]" },
        // Too few rows for a method: ConceptSHAP needs more rows than a batch, ICA at least as many as components.
        { "d", """{ "train_size": 100 }""", "concept_shap.batch_size = 128 must be below the training rows (100)" },
        { "d", """{ "train_size": 12 }""", "ica.components = 20 needs at least as many training rows, got 12" },
        { "threads", "-3", "threads = -3 must be in [0, 1024]" },
        { "threads", "100000", "threads = 100000 must be in [0, 1024]" },
        { "seed", "4294967338", "seed = 4294967338 must be in [0, 2147483647]" },
        { "seed", "-1", "seed = -1 must be in [0, 2147483647]" },
        { "methods", """[]""", "methods must name at least one concept method" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_one_line_naming_the_key_and_its_range(string section, string value, string expected)
    {
        var json = section switch
        {
            "m" => Minimal.Replace("\"m\": {}", $"\"m\": {value}"),
            "d" => Minimal.Replace("\"d\": {}", $"\"d\": {value}"),
            _ => Minimal.Replace("\"name\": \"t\"", $"\"name\": \"t\", \"{section}\": {value}"),
        };
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "build/profiles/t.json"));
        Assert.StartsWith("build/profiles/t.json: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_bad_value_set_by_an_override_names_the_cell()
    {
        var json = Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"overrides\": [ { \"datasets\": [\"d\"], \"concept_shap\": { \"threshold\": -0.1 } } ]");
        var e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "t.json"));
        Assert.Equal("t.json: overrides[0]: concept_shap.threshold = -0.1 must be in [0, 1)", e.Message);
        json = Minimal.Replace("\"name\": \"t\"", "\"name\": \"t\", \"overrides\": [ { \"models\": [\"m\"], \"classif_sae\": { \"k\": 129 } } ]");
        e = Assert.Throws<UserError>(() => ProfileLoader.Parse(json, "t.json"));
        Assert.Equal("t.json: classif_sae.k = 129 must be in [1, d_sae = 128] (model 'm', data set 'd')", e.Message);
    }

    [Fact]
    public void Every_shipped_profile_still_loads()
    {
        foreach (var path in Directory.GetFiles(RepoPaths.Profiles, "*.json"))
            ProfileLoader.Load(path, RepoPaths.Profiles);
    }
}
