using System.CommandLine;
using ClassifSae.Cli;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Slurm;

namespace ClassifSae.Tests.Cli;

/// <summary>Each sub-command takes only the options it reads (issue 18, item 6); one it would ignore is refused as unknown.</summary>
public sealed class CommandOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Scheduling = "--scheduler --dry-run --wait";
    private const string Computing = "--profile --set --method-version --device --threads --force --runs-dir --store --profiles-dir --models --datasets --seeds";

    public static TheoryData<string, string> Expected => new()
    {
        { "finetune", $"{Computing} --data-dir {Scheduling}" },
        { "cache", $"{Computing} {Scheduling}" },
        { "train", $"{Computing} --methods {Scheduling}" },
        { "evaluate", $"{Computing} --methods {Scheduling}" },
        { "report", $"--profile --runs-dir --store --profiles-dir {Scheduling}" },
        { "run", $"{Computing} --methods --data-dir {Scheduling} --until" },
        { "query", "--format --output --write --store" },
        { "summary", "--profile --store --output" },
        { "status", "--profile --store" },
        { "bench", "--threads --store --device --output --quick --filter --no-pytorch --profile-ops" },
        { "verify-backbone", "--model --golden --tolerance" },
    };

    private static Command Command(string name) => CliApp.Root().Subcommands.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_command_takes_exactly_the_options_it_reads(string command, string options)
    {
        var actual = Command(command).Options.Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(options.Split(' ').Order(StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Every_command_is_covered()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(covered.Order(StringComparer.Ordinal), CliApp.Root().Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Help_lists_only_the_commands_options()
    {
        var output = new StringWriter();
        var exit = CliApp.Root().Parse(["query", "--help"]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        Assert.Contains("--store", output.ToString());
        Assert.Contains("--format", output.ToString());
        foreach (var absent in new[] { "--profile", "--threads", "--device", "--profiles-dir", "--seeds" })
            Assert.DoesNotContain(absent, output.ToString());
    }

    [Theory]
    [InlineData("query", "SELECT 1", "--profile", "smoke")]
    [InlineData("report", "--device", "cpu")]
    [InlineData("report", "--seeds", "1")]
    [InlineData("bench", "--profiles-dir", "x")]
    [InlineData("cache", "--data-dir", "x")]
    [InlineData("finetune", "--methods", "sae")]
    public void An_option_the_command_does_not_read_is_an_unknown_option(params string[] args)
    {
        var errors = CliApp.Root().Parse(args).Errors;
        Assert.Contains(errors, e => e.Message.Contains(args[^2], StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_option_exits_non_zero_with_one_line()
    {
        var store = Path.Combine(_dir, "none.duckdb");
        var r = CliProcess.Run(_dir, "query", "SELECT 1", "--store", store, "--threads", "2");
        CliProcess.AssertOneLineError(r, "'--threads'");
        Assert.Contains("classifsae query --help", r.Output);
        Assert.False(File.Exists(store), "nothing may run after a parse error");
    }

    /// <summary>Every Slurm job line parses as its stage command, with the invocation's choices where the stage reads them.</summary>
    [Fact]
    public void Every_slurm_job_passes_only_options_its_command_takes()
    {
        var profile = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var ctx = new RunContext
        {
            Profile = profile, RunsDir = _dir, StorePath = Path.Combine(_dir, "s.duckdb"), Device = TorchSharp.torch.CPU, DeviceName = "cpu", Threads = 1,
        };
        var inv = new SlurmPlanner.Invocation("dotnet '/opt/classifsae.dll'", "smoke", RepoPaths.Profiles, _dir, ctx.StorePath, "/data", Force: true,
            LogDir: _dir, Methods: "sae,ica", MethodVersion: "upstream-2026");
        var jobs = SlurmPlanner.Plan(ctx, [7], StageRegistry.Names, inv);
        Assert.Equal(StageRegistry.Names.Order(), jobs.Select(j => j.Stage).Distinct().Order());
        foreach (var job in jobs)
        {
            var exec = job.Script.Split('\n').Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
            var args = ShellWords(exec)[3..];
            var parsed = CliApp.Root().Parse(args);
            Assert.True(parsed.Errors.Count == 0, $"{job.Name}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            Assert.Equal(job.Stage, parsed.CommandResult.Command.Name);
            var stage = StageRegistry.Get(job.Stage);
            Assert.Equal(stage.PerCell, args.Contains("--force"));
            Assert.Equal(stage.PerCell, args.Contains("--method-version"));
            Assert.Equal(stage.Name is "train" or "evaluate", args.Contains("--methods"));
            Assert.Equal(stage.Name == "finetune", args.Contains("--data-dir"));
        }
    }

    /// <summary>Words of a generated shell line: blanks separate, '…' quotes (with '\'' for a quote), as the planner writes them.</summary>
    private static string[] ShellWords(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted) { if (c == '\'') quoted = false; else current.Append(c); continue; }
            if (c == '\'') { quoted = true; any = true; }
            else if (c == '\\' && i + 1 < line.Length) { current.Append(line[++i]); any = true; }
            else if (c == ' ') { if (any || current.Length > 0) words.Add(current.ToString()); current.Clear(); any = false; }
            else current.Append(c);
        }
        if (any || current.Length > 0) words.Add(current.ToString());
        return [.. words];
    }
}
