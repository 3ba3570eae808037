namespace ClassifSae.Results;

/// <summary>
/// Fault injection for the store's write sequences, so tests can prove that a crash or a full disk at any point leaves
/// no partial rows. Set <c>CLASSIFSAE_FAULT=&lt;point&gt;</c> (throws <see cref="InjectedFaultException"/>),
/// <c>&lt;point&gt;@disk-full</c> (throws an <see cref="IOException"/> "No space left on device", as a full disk would) or
/// <c>&lt;point&gt;@exit</c> (ends the process at once with <see cref="Environment.FailFast(string)"/>, like a kill).
/// The points are listed in <see cref="Points"/> and results-db/how-to-query.md. Unset (the default), nothing happens.
/// </summary>
public static class StoreFaults
{
    public const string Variable = "CLASSIFSAE_FAULT";

    /// <summary>Inside a stage's ingest transaction, after the run row was written.</summary>
    public const string AfterRun = "store:after-run";
    /// <summary>... after the stage's metrics.</summary>
    public const string AfterMetrics = "store:after-metrics";
    /// <summary>... after the stage's artefacts.</summary>
    public const string AfterArtefacts = "store:after-artefacts";
    /// <summary>... after the concepts and top sentences of each method (Evaluate only).</summary>
    public const string AfterConcepts = "store:after-concepts";
    /// <summary>... after the stage row, the last write, just before COMMIT.</summary>
    public const string BeforeCommit = "store:before-commit";
    /// <summary>Right after COMMIT (the rerun must then find the stage complete and add nothing).</summary>
    public const string AfterCommit = "store:after-commit";
    /// <summary>Inside the schema transaction that creates or migrates a store, before COMMIT.</summary>
    public const string SchemaBeforeCommit = "store:schema-before-commit";

    public static IReadOnlyList<string> Points { get; } =
        [AfterRun, AfterMetrics, AfterArtefacts, AfterConcepts, BeforeCommit, AfterCommit, SchemaBeforeCommit];

    private static readonly AsyncLocal<string?> Scoped = new();

    /// <summary>
    /// Like setting <c>CLASSIFSAE_FAULT</c> to <paramref name="setting"/>, but only for the calling flow until disposed, so a
    /// test can inject a fault while other tests of the same process write stores.
    /// </summary>
    public static IDisposable Inject(string setting)
    {
        var previous = Scoped.Value;
        Scoped.Value = setting;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }

    /// <summary>Fails here when <c>CLASSIFSAE_FAULT</c> (or <see cref="Inject"/>) names <paramref name="point"/>.</summary>
    public static void At(string point)
    {
        var setting = Scoped.Value ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(setting)) return;
        var at = setting.IndexOf('@');
        var name = at < 0 ? setting : setting[..at];
        if (!string.Equals(name, point, StringComparison.Ordinal)) return;
        switch (at < 0 ? "" : setting[(at + 1)..])
        {
            case "":
                throw new InjectedFaultException($"injected fault at {point} ({Variable})");
            case "disk-full":
                throw new IOException($"No space left on device (injected at {point} by {Variable})");
            case "exit":
                Environment.FailFast($"injected kill at {point} ({Variable})");
                break;
            default:
                throw new InvalidOperationException($"{Variable}={setting}: unknown mode; expected <point>, <point>@disk-full or <point>@exit");
        }
    }
}

/// <summary>The failure <see cref="StoreFaults"/> raises when asked to; never thrown otherwise.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
