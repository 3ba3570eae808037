using ClassifSae.Backbones;
using ClassifSae.Backbones.Llama;
using ClassifSae.Backbones.Registry;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Results;
using ClassifSae.Tests.Backbones.Decoders;
using DuckDB.NET.Data;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Results;

/// <summary>Every run records the rotary scaling its model computes with (spec 04 §3.5: transformers' llama3, not TransformerLens').</summary>
public sealed class RopeScalingRecordTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rope-record-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A FineTune stage that saves <paramref name="model"/> as its model folder, run and ingested by the real runner and store.</summary>
    private string? Recorded(IClassifierBackbone model, string name)
    {
        var ctx = new RunContext
        {
            Profile = ProfileLoader.Parse("""{ "name": "t", "models": { "m": {} }, "datasets": { "d": {} } }""", "t.json"),
            RunsDir = Path.Combine(_dir, name), StorePath = Path.Combine(_dir, name + ".duckdb"), Device = CPU, DeviceName = "cpu", Threads = 1,
        };
        var cell = ctx with { Ingest = new StoreIngest(ctx).Record };
        StageRunner.Run(cell, StageNames.FineTune, new PipelineKey("m", "d"), new { }, new Dictionary<string, StageManifest>(), dir =>
        {
            model.Save(new FineTuneArtifacts(dir).ModelDir);
            return [];
        });
        using var store = ResultsStore.Open(ctx.StorePath);
        return store.Query("SELECT rope_scaling FROM runs").Rows.Single()[0] as string;
    }

    [Fact]
    public void A_llama_3_1_run_records_transformers_llama3_scaling_and_a_gpt_neox_run_none()
    {
        using var llama = LlamaForCausalLM.Random(TinyDecoders.Llama(), seed: 1);
        var recorded = Recorded(llama, "llama");
        Assert.Equal("llama3 (transformers: factor 8, low_freq_factor 1, high_freq_factor 4, original_max_position_embeddings 64; " +
                     "not TransformerLens 2.9's n_ctx variant)", recorded);

        using var mistral = TinyDecoders.Create("mistral");
        Assert.Equal(RopeScalingChoice.None, Recorded(mistral, "mistral"));
        using var neox = BackboneRegistry.CreateScratch("gpt_neox", new ScratchShape(50, 32, 2, 4, 64, 0.25, 64), seed: 1);
        Assert.Equal(RopeScalingChoice.None, Recorded(neox, "neox"));
    }

    [Fact]
    public void A_store_migrated_from_version_8_gains_the_column_with_null_for_old_runs()
    {
        var path = Path.Combine(_dir, "old.duckdb");
        using (var store = ResultsStore.Open(path))
            store.RecordRun(SampleRecords.Run("r1"));
        using (var raw = new DuckDBConnection($"Data Source={path}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "ALTER TABLE runs DROP COLUMN rope_scaling; UPDATE schema_info SET version = 8;";
            cmd.ExecuteNonQuery();
        }
        using (var store = ResultsStore.Open(path))
        {
            Assert.Equal(SchemaMigrations.Current, store.SchemaVersion);
            Assert.Null(store.Query("SELECT rope_scaling FROM runs").Rows.Single()[0]);
        }
    }
}
