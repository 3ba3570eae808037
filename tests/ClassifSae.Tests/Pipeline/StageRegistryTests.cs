using System.Text.Json;
using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline;

/// <summary>The one stage graph: who owns which profile section, and how an edit travels down the identities.</summary>
public sealed class StageRegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("registry-").FullName;
    private readonly PipelineKey _key = new("m", "d");
    private readonly List<string> _ran = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Base = """
        { "name": "t", "models": { "m": {}, "other": {} }, "datasets": { "d": {} }, "fine_tune": { "learning_rate": 0.001 },
          "cache": { "batch_size": 4 }, "slurm": { "partition": "a" } }
        """;

    private RunContext Context(string profileJson) => new()
    {
        Profile = ProfileLoader.Parse(profileJson, "t.json"),
        RunsDir = _dir, StorePath = Path.Combine(_dir, "s.duckdb"), Device = CPU, DeviceName = "cpu", Threads = 1,
    };

    [Fact]
    public void Every_profile_section_is_owned_by_exactly_one_stage_or_declared_unowned()
    {
        var profile = ProfileLoader.Parse(Base, "t.json");
        foreach (var section in ProfileSections.Names(profile))
        {
            var owners = StageRegistry.All.Count(s => s.OwnedSections.Contains(section))
                         + (StageRegistry.UnownedSections.Contains(section) ? 1 : 0)
                         + (StageRegistry.SelectionSections.Contains(section) ? 1 : 0);
            Assert.True(owners == 1, $"profile section '{section}' has {owners} owners (expected exactly one stage, or a declared unowned/selection key)");
        }
    }

    /// <summary>Train's identity is its selected methods' settings: they must move with every Train-owned section and with no other.</summary>
    [Theory]
    [InlineData("\"classif_sae\": { \"k\": 7 }", true)]
    [InlineData("\"sae\": { \"n_concepts\": 7 }", true)]
    [InlineData("\"ica\": { \"components\": 7 }", true)]
    [InlineData("\"concept_shap\": { \"threshold\": 0.3 }", true)]
    [InlineData("\"evaluate\": { \"batch_size\": 7 }", false)]
    [InlineData("\"cache\": { \"batch_size\": 7 }", false)]
    [InlineData("\"fine_tune\": { \"learning_rate\": 0.5 }", false)]
    public void The_concept_methods_settings_follow_exactly_the_train_owned_sections(string edit, bool changes)
    {
        string Settings(Profile p) => string.Join("|", ConceptMethods.Keys.Select(k => Hashing.Config((object)p.MethodSettings(k))));
        const string cell = "\"models\": { \"m\": {} }, \"datasets\": { \"d\": {} }";
        var before = Settings(ProfileLoader.Parse($$"""{ "name": "t", {{cell}} }""", "t.json"));
        var after = Settings(ProfileLoader.Parse($$"""{ "name": "t", {{cell}}, {{edit}} }""", "t.json"));
        Assert.Equal(changes, before != after);
        var section = edit.Split('"')[1];
        Assert.Equal(changes, StageRegistry.Get(StageNames.Train).OwnedSections.Contains(section));
    }

    [Fact]
    public void A_target_runs_with_its_upstream_stages_in_graph_order()
    {
        Assert.Equal([StageNames.FineTune, StageNames.Cache, StageNames.Train],
            StageRegistry.UpTo(StageNames.Train).Select(s => s.Name));
        Assert.Equal(StageRegistry.Names, StageRegistry.UpTo(StageNames.Report).Select(s => s.Name));
        Assert.Equal([StageNames.Cache, StageNames.Evaluate], StageRegistry.InOrder([StageNames.Evaluate, StageNames.Cache]).Select(s => s.Name));
        foreach (var (stage, i) in StageRegistry.All.Select((s, i) => (s, i)))
            foreach (var up in stage.Upstream) Assert.True(StageRegistry.Names.ToList().IndexOf(up) < i, $"{stage.Name} is listed before its upstream {up}");
        var e = Assert.Throws<UserError>(() => StageRegistry.UpTo("trian"));
        Assert.Equal("unknown stage 'trian' (expected one of finetune, cache, train, evaluate, report)", e.Message);
    }

    /// <summary>FineTune then Cache, with the identities the registry gives them (the bodies only write a file).</summary>
    private void RunFineTuneAndCache(string profileJson)
    {
        var ctx = Context(profileJson);
        var ft = StageRunner.Run(ctx, StageNames.FineTune, _key, StageRegistry.OwnedSettings(ctx, _key, StageNames.FineTune),
            new Dictionary<string, StageManifest>(), Body(StageNames.FineTune));
        StageRunner.Run(ctx, StageNames.Cache, _key, StageRegistry.OwnedSettings(ctx, _key, StageNames.Cache),
            new Dictionary<string, StageManifest> { [StageNames.FineTune] = ft }, Body(StageNames.Cache));
    }

    private StageRunner.StageBody Body(string stage) => dir =>
    {
        _ran.Add(stage);
        File.WriteAllText(Path.Combine(dir, "out.txt"), stage + _ran.Count);
        return [];
    };

    [Fact]
    public void An_upstream_edit_redoes_the_downstream_stage_and_an_unowned_or_other_cell_edit_redoes_nothing()
    {
        RunFineTuneAndCache(Base);
        Assert.Equal([StageNames.FineTune, StageNames.Cache], _ran);

        _ran.Clear();   // Slurm resources, the description and another model's entry change no number of this cell.
        RunFineTuneAndCache(Base.Replace("\"partition\": \"a\"", "\"partition\": \"b\"").Replace("\"other\": {}", "\"other\": { \"num_layers\": 9 }")
            .Replace("\"name\": \"t\",", "\"name\": \"t\", \"description\": \"edited\","));
        Assert.Empty(_ran);

        _ran.Clear();   // A Cache-owned key redoes Cache only.
        RunFineTuneAndCache(Base.Replace("\"batch_size\": 4", "\"batch_size\": 8"));
        Assert.Equal([StageNames.Cache], _ran);

        _ran.Clear();   // A FineTune-owned key redoes FineTune, and Cache through its input's identity.
        RunFineTuneAndCache(Base.Replace("\"batch_size\": 4", "\"batch_size\": 8").Replace("0.001", "0.002"));
        Assert.Equal([StageNames.FineTune, StageNames.Cache], _ran);

        _ran.Clear();   // The cell's own model entry is FineTune's.
        RunFineTuneAndCache(Base.Replace("\"batch_size\": 4", "\"batch_size\": 8").Replace("0.001", "0.002").Replace("\"m\": {}", "\"m\": { \"num_layers\": 2 }"));
        Assert.Equal([StageNames.FineTune, StageNames.Cache], _ran);
    }

    [Fact]
    public void Owned_settings_hold_exactly_the_owned_sections_narrowed_to_the_cell()
    {
        var settings = (System.Text.Json.Nodes.JsonObject)StageRegistry.OwnedSettings(Context(Base), _key, StageNames.FineTune);
        Assert.Equal(["models", "datasets", "fine_tune"], settings.Select(kv => kv.Key));
        Assert.Equal(3, settings["models"]!["num_layers"]!.GetValue<int>());
        Assert.Null(settings["models"]!["other"]);
        Assert.Equal(0.001, settings["fine_tune"]!["learning_rate"]!.GetValue<double>());
    }
}
