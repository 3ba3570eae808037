using ClassifSae.Pipeline;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline;

public sealed class StageRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stages-").FullName;
    private readonly PipelineKey _key = new("m", "d");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RunContext Context(bool force = false, long seed = 1, int threads = 1, string deviceName = "cpu", string dtype = "float32") => new()
    {
        Profile = ProfileLoader.Parse($$"""{ "name": "t", "seed": {{seed}}, "models": { "m": {} }, "datasets": { "d": {} } }""", "t.json"),
        RunsDir = _dir, StorePath = Path.Combine(_dir, "s.duckdb"), Device = CPU, DeviceName = deviceName, Threads = threads, Force = force, Dtype = dtype,
    };

    private int _runs;

    private IReadOnlyList<MetricRecord> Body(string dir)
    {
        _runs++;
        File.WriteAllText(Path.Combine(dir, "out.txt"), "x");
        return [new MetricRecord("answer", 42)];
    }

    [Fact]
    public void An_unchanged_stage_is_skipped_and_a_changed_config_or_force_reruns_it()
    {
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(1, _runs);
        StageRunner.Run(Context(), "s", _key, new { a = 2 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(2, _runs);
        StageRunner.Run(Context(force: true), "s", _key, new { a = 2 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(3, _runs);
        StageRunner.Run(Context(seed: 2), "s", _key, new { a = 2 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(4, _runs);
    }

    [Fact]
    public void A_tampered_output_makes_the_stage_run_again()
    {
        var m = StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        File.WriteAllText(Path.Combine(Context().StageDir("s", _key), "out.txt"), "y");
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(2, _runs);
        Assert.Equal("42", StageRunner.ReadMetrics(Context().StageDir("s", _key)).Single().Value.ToString());
        Assert.Single(m.Outputs, o => o.Path == "out.txt");
    }

    [Fact]
    public void A_changed_upstream_stage_reruns_the_downstream_one()
    {
        var up = StageRunner.Run(Context(), "up", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        StageRunner.Run(Context(), "down", _key, new { }, new Dictionary<string, StageManifest> { ["up"] = up }, Body);
        var up2 = StageRunner.Run(Context(), "up", _key, new { a = 2 }, new Dictionary<string, StageManifest>(), Body);
        StageRunner.Run(Context(), "down", _key, new { }, new Dictionary<string, StageManifest> { ["up"] = up2 }, Body);
        Assert.Equal(4, _runs);
    }

    [Fact]
    public void A_failing_stage_leaves_no_output_folder_and_keeps_the_previous_result()
    {
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Throws<InvalidOperationException>(() => StageRunner.Run(Context(), "s", _key, new { a = 2 },
            new Dictionary<string, StageManifest>(), dir =>
            {
                File.WriteAllText(Path.Combine(dir, "half.txt"), "partial");
                throw new InvalidOperationException("boom");
            }));
        var stageDir = Context().StageDir("s", _key);
        Assert.True(File.Exists(Path.Combine(stageDir, "out.txt")));
        Assert.False(File.Exists(Path.Combine(stageDir, "half.txt")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(stageDir)!, "s.tmp-*"));
    }

    [Fact]
    public void Requiring_a_missing_upstream_stage_tells_which_command_to_run()
    {
        var e = Assert.Throws<UserError>(() => StageRunner.Require(Context(), "cache", _key));
        Assert.Contains("run `classifsae cache --profile t` first", e.Message);
    }

    [Fact]
    public void A_second_invocation_on_the_same_stage_is_refused_while_the_first_holds_it()
    {
        var folder = Context().StageDir("s", _key);
        using (StageLock.Acquire(folder, "s"))
        {
            var e = Assert.Throws<UserError>(() => StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body));
            Assert.Contains("is being run by another classifsae process", e.Message);
        }
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public void The_leftovers_of_a_killed_run_are_never_taken_as_output_and_are_cleared()
    {
        var folder = Context().StageDir("s", _key);
        var stale = folder + ".tmp-99999";
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "out.txt"), "half");
        Assert.Throws<UserError>(() => StageRunner.Require(Context(), "s", _key));
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.False(Directory.Exists(stale));
        Assert.Equal("x", File.ReadAllText(Path.Combine(folder, "out.txt")));
    }

    [Fact]
    public void Another_thread_count_device_or_dtype_redoes_the_stage()
    {
        StageRunner.Run(Context(threads: 2), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        StageRunner.Run(Context(threads: 2), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(1, _runs);
        StageRunner.Run(Context(threads: 1), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(2, _runs);
        StageRunner.Run(Context(deviceName: "cuda"), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(3, _runs);
        StageRunner.Run(Context(deviceName: "cuda", dtype: "bfloat16"), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(4, _runs);
        Assert.Equal("bfloat16", StageManifest.TryLoad(Context().StageDir("s", _key))!.Provenance.Dtype);
    }

    [Fact]
    public void A_kill_between_setting_the_old_folder_aside_and_moving_the_new_one_in_leaves_a_complete_stage_for_the_rerun()
    {
        var folder = Context().StageDir("s", _key);
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Environment.SetEnvironmentVariable(StageFault.Variable, StageFolderSwap.BeforeMove);
        try
        {
            Assert.Throws<StageFaultException>(() => StageRunner.Run(Context(force: true), "s", _key, new { a = 1 },
                new Dictionary<string, StageManifest>(), dir => { File.WriteAllText(Path.Combine(dir, "out.txt"), "new"); return []; }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(StageFault.Variable, null);
        }
        // The downstream stage's check and the rerun both find the previous complete result.
        var recovered = StageRunner.Require(Context(), "s", _key);
        Assert.Equal("complete", recovered.Status);
        Assert.Equal("x", File.ReadAllText(Path.Combine(folder, "out.txt")));
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        Assert.Equal(1, _runs);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, "s.old-*"));
    }

    [Fact]
    public void Force_replaces_the_previous_folder_and_leaves_nothing_aside()
    {
        var folder = Context().StageDir("s", _key);
        StageRunner.Run(Context(), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(), Body);
        StageRunner.Run(Context(force: true), "s", _key, new { a = 1 }, new Dictionary<string, StageManifest>(),
            dir => { File.WriteAllText(Path.Combine(dir, "new.txt"), "new"); return []; });
        Assert.True(File.Exists(Path.Combine(folder, "new.txt")));
        Assert.False(File.Exists(Path.Combine(folder, "out.txt")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, "s.old-*"));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, "s.tmp-*"));
    }

    [Fact]
    public void A_trained_method_is_not_reused_across_thread_counts_devices_or_dtypes()
    {
        var method = ClassifSae.Concepts.ConceptMethods.Get("ica");
        var settings = Context().Profile.MethodSettings("ica");
        var baseline = ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 2), settings, method, "c");
        Assert.Equal(baseline, ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 2), settings, method, "c"));
        Assert.NotEqual(baseline, ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 1), settings, method, "c"));
        Assert.NotEqual(baseline, ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 2, deviceName: "cuda"), settings, method, "c"));
        Assert.NotEqual(baseline, ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 2, dtype: "bfloat16"), settings, method, "c"));
        Assert.NotEqual(baseline, ClassifSae.Pipeline.Stages.TrainStage.MethodHash(Context(threads: 2), settings, method, "other-cache"));
    }
}
