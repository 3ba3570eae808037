namespace ClassifSae.Tests.Cli;

/// <summary>Bad input reaches the user as one clear line and a non-zero exit code, never a stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertOneLineError(CliProcess.Result r, string expected) => CliProcess.AssertOneLineError(r, expected);

    [Fact]
    public void Unknown_profile()
    {
        var r = CliProcess.Run(_dir, "finetune", "--profile", "nope", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", _dir);
        AssertOneLineError(r, "unknown profile 'nope'");
    }

    [Fact]
    public void Unknown_config_key()
    {
        var path = Path.Combine(_dir, "p.json");
        File.WriteAllText(path, """{ "name": "p", "models": { "m": { "hiden_size": 8 } }, "datasets": { "d": {} } }""");
        var r = CliProcess.Run(_dir, "finetune", "--profile", path, "--runs-dir", _dir);
        AssertOneLineError(r, "unknown config key 'hiden_size'");
    }

    [Fact]
    public void Unknown_concept_method()
    {
        var r = CliProcess.Run(_dir, "train", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", _dir, "--methods", "ica,pca");
        AssertOneLineError(r, "unknown concept method 'pca'");
    }

    [Fact]
    public void Missing_upstream_stage()
    {
        var r = CliProcess.Run(_dir, "cache", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", _dir);
        AssertOneLineError(r, "no completed finetune stage");
    }

    /// <summary>Bad settings stop the run with one line before any stage folder exists (issue 12, item 4).</summary>
    [Theory]
    [InlineData("\"classif_sae\": { \"k\": 300 }", "classif_sae.k = 300 must be in [1, d_sae = 128]")]
    [InlineData("\"evaluate\": { \"batch_size\": 0 }", "evaluate.batch_size = 0 must be at least 1")]
    [InlineData("\"cache\": { \"batch_size\": 0 }", "cache.batch_size = 0 must be at least 1")]
    public void A_bad_profile_setting_fails_before_any_stage_starts(string section, string expected)
    {
        var path = Path.Combine(_dir, "p.json");
        File.WriteAllText(path, $$"""{ "name": "p", "models": { "m": {} }, "datasets": { "d": {} }, {{section}} }""");
        var r = CliProcess.Run(_dir, "run", "--profile", path, "--runs-dir", _dir, "--store", Path.Combine(_dir, "s.duckdb"));
        AssertOneLineError(r, $"{path}: {expected}");
        Assert.False(Directory.Exists(Path.Combine(_dir, "p")), "no stage folder may be created");
    }

    [Theory]
    [InlineData("--threads", "-3", "--threads = -3 must be in [0, ")]
    [InlineData("--threads", "100000", "--threads = 100000 must be in [0, ")]
    [InlineData("--seeds", "4294967338", "--seeds: '4294967338' must be an integer in [0, 2147483647]")]
    [InlineData("--seeds", "42,-1", "--seeds: '-1' must be an integer in [0, 2147483647]")]
    public void A_bad_thread_count_or_seed_fails_before_any_stage_starts(string option, string value, string expected)
    {
        var r = CliProcess.Run(_dir, "run", "--profile", "smoke", "--profiles-dir", RepoPaths.Profiles, "--runs-dir", _dir,
            "--store", Path.Combine(_dir, "s.duckdb"), option, value);
        AssertOneLineError(r, expected);
        Assert.False(Directory.Exists(Path.Combine(_dir, "smoke")), "no stage folder may be created");
    }

    [Fact]
    public void A_setting_too_large_for_a_Hugging_Face_model_fails_at_preflight()
    {
        // A local Hugging Face folder whose config.json says the model is 64 wide: d_sae = 2 · 64 = 128 < k.
        var model = Path.Combine(_dir, "hf-model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), """
            { "model_type": "gpt_neox", "vocab_size": 100, "hidden_size": 64, "num_hidden_layers": 2,
              "num_attention_heads": 4, "intermediate_size": 256 }
            """);
        var path = Path.Combine(_dir, "p.json");
        File.WriteAllText(path, $$"""
            { "name": "p", "models": { "m": { "source": "hf", "path": "{{model.Replace("\\", "/")}}" } }, "datasets": { "d": {} },
              "classif_sae": { "k": 300 } }
            """);
        var r = CliProcess.Run(_dir, "run", "--profile", path, "--runs-dir", _dir, "--store", Path.Combine(_dir, "s.duckdb"));
        AssertOneLineError(r, "profile 'p': classif_sae.k = 300 must be in [1, d_sae = 128] (model 'm', data set 'd')");
        Assert.False(Directory.Exists(Path.Combine(_dir, "p")), "no stage folder may be created");
    }

    [Fact]
    public void Query_without_a_store_and_with_bad_sql()
    {
        var store = Path.Combine(_dir, "s.duckdb");
        AssertOneLineError(CliProcess.Run(_dir, "query", "SELECT 1", "--store", store), "no results store yet");
        using (ClassifSae.Results.ResultsStore.Open(store)) { }
        AssertOneLineError(CliProcess.Run(_dir, "query", "SELEC nonsense", "--store", store), "syntax error");
    }

    [Fact]
    public void Query_prints_results_as_csv()
    {
        var store = Path.Combine(_dir, "s.duckdb");
        using (ClassifSae.Results.ResultsStore.Open(store)) { }
        var r = CliProcess.Run(_dir, "query", "SELECT 42 AS answer, 'x' AS name", "--store", store, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("answer,name\n42,x", r.Output.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_paper_profile_fails_fast_telling_where_weights_and_data_go()
    {
        var env = new Dictionary<string, string> { ["HF_HOME"] = Path.Combine(_dir, "hf"), ["HF_HUB_OFFLINE"] = "1" };
        var r = CliProcess.Run(_dir, env, "run", "--profile", "paper", "--profiles-dir", RepoPaths.Profiles, "--models", "pythia-70m",
            "--datasets", "ag_news", "--runs-dir", _dir, "--data-dir", Path.Combine(_dir, "data"));
        AssertOneLineError(r, "huggingface-cli download EleutherAI/pythia-70m");
        Assert.Contains("huggingface-cli download fancyzhx/ag_news --repo-type dataset", r.Output);
        Assert.False(Directory.Exists(Path.Combine(_dir, "paper")));
    }
}
