using ClassifSae.Runtime;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline;

/// <summary>What every stage of one invocation shares: the profile, where outputs go, the device, and how to report.</summary>
public sealed record RunContext
{
    public required Profile Profile { get; init; }
    public required string RunsDir { get; init; }
    public required string StorePath { get; init; }
    public required Device Device { get; init; }
    public required string DeviceName { get; init; }
    public required int Threads { get; init; }

    /// <summary>Floating-point type of the computation (recorded in provenance and part of every compute stage's identity).</summary>
    public string Dtype { get; init; } = "float32";

    /// <summary>Root of the data files of <c>files</c> data sets (their patterns are relative to it).</summary>
    public string DataDir { get; init; } = "data";

    /// <summary>Restricts the grid (null = every model / data set of the profile).</summary>
    public IReadOnlySet<string>? ModelFilter { get; init; }
    public IReadOnlySet<string>? DatasetFilter { get; init; }
    public bool Force { get; init; }

    /// <summary>Concept methods to train and evaluate (<c>--methods</c>); null means the profile's <c>methods</c>.</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    public IProgressSink Progress { get; init; } = SilentProgress.Instance;
    /// <summary>Writes a line to the console (as the caller set it up) and, while a stage runs, to its stage.log.</summary>
    public Action<string> Log
    {
        get => line => { _log(line); StageLog.Write(line); };
        init => _log = value;
    }

    private readonly Action<string> _log = _ => { };

    /// <summary>Called after each stage (run or skipped) with its folder and metrics; the CLI writes them to the results store.</summary>
    public Action<StageCompletion>? Ingest { get; init; }

    public long Seed => Profile.Seed;

    /// <summary>The selected concept methods, validated, in registry order.</summary>
    public IReadOnlyList<string> SelectedMethods() => Concepts.ConceptMethods.Validate(Methods ?? Profile.Methods);

    public Provenance Provenance() => Pipeline.Provenance.Capture(DeviceName, Threads, Seed, Dtype);

    public string StageDir(string stage, PipelineKey key) => Path.Combine(RunsDir, Profile.Name, key.Model, key.Dataset, $"seed{Seed}", StageRegistry.FolderName(stage, Profile.MethodVersion));

    /// <summary>One run = one (profile, model, data set, seed) under one full configuration.</summary>
    public string RunId(PipelineKey key) =>
        $"{Profile.Name}/{key.Model}/{key.Dataset}/seed{Seed}/{Hashing.Config(Profile)[..10]}";

    public IEnumerable<PipelineKey> Keys() =>
        from m in Profile.Models.Keys.Order(StringComparer.Ordinal)
        where ModelFilter is null || ModelFilter.Contains(m)
        from d in Profile.Datasets.Keys.Order(StringComparer.Ordinal)
        where DatasetFilter is null || DatasetFilter.Contains(d)
        select new PipelineKey(m, d);

    /// <summary>The context of one grid cell: the profile with the cell's overrides applied.</summary>
    public RunContext For(PipelineKey key) => this with { Profile = Profile.For(key.Model, key.Dataset) };

    /// <summary>The same run with another seed.</summary>
    public RunContext WithSeed(long seed) => this with { Profile = Profile with { Seed = seed } };
}

public sealed record PipelineKey(string Model, string Dataset)
{
    public override string ToString() => $"{Model} × {Dataset}";
}

/// <summary>What the store receives for one finished stage.</summary>
public sealed record StageCompletion(string RunId, PipelineKey Key, StageManifest Manifest, string Folder, IReadOnlyList<MetricRecord> Metrics, bool Skipped);
