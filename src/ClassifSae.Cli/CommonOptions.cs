using System.CommandLine;

namespace ClassifSae.Cli;

/// <summary>The options the stage commands share; <see cref="StageOptions"/> says which command takes which.</summary>
internal static class CommonOptions
{
    public static readonly Option<string> Profile = new("--profile") { Description = "profile name (build/profiles/NAME.json) or path to a profile file", DefaultValueFactory = _ => "smoke" };
    public static readonly Option<string> Device = new("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "cpu" };
    public static readonly Option<int> Threads = new("--threads") { Description = "intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
    public static readonly Option<bool> Force = new("--force") { Description = "redo stages even when they are up to date" };
    public static readonly Option<string?> RunsDir = new("--runs-dir") { Description = "where stage outputs go (default: ./runs)" };
    public static readonly Option<string?> Store = new("--store") { Description = "DuckDB results store (default: ./results-db/results.duckdb)" };
    public static readonly Option<string?> Methods = new("--methods") { Description = "concept methods to train/evaluate, comma-separated: classifsae,sae,ica,conceptshap,hiconcept (default: the profile's methods)" };
    public static readonly Option<string?> MethodVersion = new("--method-version") { Description = "paper-2025 or upstream-2026: run Train/Evaluate as this version of the method (default: the profile's method_version); FineTune and Cache are shared" };
    public static readonly Option<string?> ProfilesDir = new("--profiles-dir") { Description = "folder holding the profiles (default: build/profiles above the current folder)" };

    public static readonly Option<string?> Models = new("--models") { Description = "comma-separated subset of the profile's models" };
    public static readonly Option<string?> Datasets = new("--datasets") { Description = "comma-separated subset of the profile's data sets" };
    public static readonly Option<string?> Seeds = new("--seeds") { Description = "comma-separated seeds (default: the profile's seed)" };
    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "override a profile key, section.key=value (repeatable), e.g. --set classif_sae.k=20; checked like the profile",
        AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [],
    };
    public static readonly Option<string?> DataDir = new("--data-dir") { Description = "root of data-set files (default: $CLASSIFSAE_DATA or ./data)" };

    public static readonly Option<string> Scheduler = new("--scheduler") { Description = "local (this process) or slurm (one sbatch job per stage and cell)", DefaultValueFactory = _ => "local" };
    public static readonly Option<bool> DryRun = new("--dry-run") { Description = "with --scheduler slurm: print the job scripts instead of submitting them" };
    public static readonly Option<bool> Wait = new("--wait") { Description = "with --scheduler slurm: wait for the jobs and fail if any failed" };

    /// <summary>The option's value where the command takes it, else <paramref name="fallback"/> (a shared helper reads options some commands lack).</summary>
    public static T Value<T>(ParseResult r, Option<T> option, T fallback) =>
        r.CommandResult.Command.Options.Contains(option) ? r.GetValue(option)! : fallback;

    public static IReadOnlyList<string>? List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
