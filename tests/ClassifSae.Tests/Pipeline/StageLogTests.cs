using System.Text.RegularExpressions;
using ClassifSae.Pipeline;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline;

/// <summary>Log lines carry UTC time and level; a stage's lines also go to stage.log in its folder.</summary>
public sealed class StageLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stage-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_line_has_utc_time_and_level()
    {
        var t = new DateTime(2026, 11, 29, 5, 1, 2, DateTimeKind.Utc);
        Assert.Equal("2026-11-29T05:01:02Z INFO  cache m/d: done", LogLine.Format(t, "cache m/d: done"));
        Assert.Equal("2026-11-29T05:01:02Z WARN  warning: vocabulary is large", LogLine.Format(t, "warning: vocabulary is large"));
        Assert.Equal("2026-11-29T05:01:02Z ERROR error: x", LogLine.Format(t, "error: x"));
    }

    [Fact]
    public void The_stage_folder_gets_stage_log_with_what_the_body_logged_and_the_console_still_gets_it()
    {
        var console = new List<string>();
        var ctx = new RunContext
        {
            Profile = ProfileLoader.Parse("""{ "name": "t", "models": { "m": {} }, "datasets": { "d": {} } }""", "t.json"),
            RunsDir = _dir, StorePath = Path.Combine(_dir, "s.duckdb"), Device = CPU, DeviceName = "cpu", Threads = 1,
            Log = console.Add,
        };
        var key = new PipelineKey("m", "d");
        StageRunner.Run(ctx, "s", key, new { }, new Dictionary<string, StageManifest>(), dir =>
        {
            ctx.Log("step 1 of 2");
            ctx.Log("warning: something to know");
            return [];
        });
        ctx.Log("after the stage");   // not the stage's any more

        var lines = File.ReadAllLines(Path.Combine(ctx.StageDir("s", key), StageLog.FileName));
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (INFO |WARN ) ", l));
        Assert.Matches(@"INFO  s m × d: started \(seed \d+, config [0-9a-f]{10}, threads=1\|device=cpu\|dtype=float32\)$", lines[0]);
        Assert.EndsWith("INFO  step 1 of 2", lines[1]);
        Assert.EndsWith("WARN  warning: something to know", lines[2]);
        Assert.Matches(@"INFO  s m × d: finished in \d+\.\d s$", lines[3]);
        Assert.Contains("step 1 of 2", console);
        Assert.Contains("after the stage", console);
        Assert.True(StageManifest.TryLoad(ctx.StageDir("s", key))!.OutputsIntact(ctx.StageDir("s", key)));
    }
}
