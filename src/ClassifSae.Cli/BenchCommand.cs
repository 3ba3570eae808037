using System.CommandLine;
using ClassifSae.Benchmarks;
using ClassifSae.Benchmarks.Profiling;
using ClassifSae.Results;
using ClassifSae.Runtime;
using Spectre.Console;

namespace ClassifSae.Cli;

/// <summary>
/// <c>classifsae bench</c>: measures the matmul ceilings and the hot paths at paper shapes in one process, writes the
/// results to the store (profile "bench") and a Markdown table (default <c>artifacts/bench/bench.md</c>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output") { Description = "Markdown table file (default: artifacts/bench/bench.md)" };
        var quick = new Option<bool>("--quick") { Description = "tiny shapes, a few seconds (checks the harness, not the machine)" };
        var filter = new Option<string?>("--filter") { Description = "only cases whose name contains this text (ceilings always run)" };
        var noPyTorch = new Option<bool>("--no-pytorch") { Description = "skip the PyTorch side (build/tools/bench_torch.py run after each case)" };
        var profileOps = new Option<bool>("--profile-ops") { Description = "after each case, repeat it under Linux perf and add where its time goes to the table (needs `perf`)" };
        var cmd = new Command("bench", "measure matmul ceilings and hot-path throughput at paper shapes");
        foreach (var o in new Option[] { CommonOptions.Threads, CommonOptions.Store, CommonOptions.Device, output, quick, filter, noPyTorch, profileOps }) cmd.Options.Add(o);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var started = DateTime.UtcNow;
            var threads = ContextFactory.Threads(r, profile: null);
            TorchSharp.torch.set_num_interop_threads(1);
            var isQuick = r.GetValue(quick);
            BenchDevice.Current = TorchRuntime.ResolveDevice(r.GetValue(CommonOptions.Device)!);
            var text = r.GetValue(filter);
            void Log(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
            Log($"bench: {threads} intra-op threads{(isQuick ? ", quick shapes" : "")}");
            PyTorchReference? pytorch = null;
            // The PyTorch side (Debian's CPU torch) is compared on the CPU only.
            if (!r.GetValue(noPyTorch) && !BenchDevice.IsAccelerator)
            {
                (pytorch, var why) = PyTorchReference.Find(Locations.RepoRootOrCurrent());
                if (pytorch is not null) pytorch = new PyTorchReference(pytorch.Python, pytorch.Script, pytorch.Timeout) { CeilingSize = isQuick ? 256 : 2048 };
                Log(pytorch is null ? $"bench: PyTorch side skipped: {why}" : $"bench: PyTorch side with {pytorch.Python} (build/tools/bench_torch.py), interleaved case by case");
            }
            PerfRecorder? profiler = null;
            if (r.GetValue(profileOps))
            {
                (profiler, var why) = PerfRecorder.Find(Path.Combine(Locations.RepoRootOrCurrent(), "artifacts", "bench"));
                if (profiler is null) throw new UserError($"--profile-ops: {why}");
                Log($"bench: op profiles with {why}");
            }
            var (env, results) = BenchRunner.Run(BenchSuite.Ceilings(isQuick), BenchSuite.Cases(isQuick), Log,
                text is null ? null : name => name.Contains(text, StringComparison.OrdinalIgnoreCase), pytorch, profiler);

            var root = Locations.RepoRootOrCurrent();
            var mdPath = Path.GetFullPath(r.GetValue(output) ?? Path.Combine(root, "artifacts", "bench", "bench.md"));
            Directory.CreateDirectory(Path.GetDirectoryName(mdPath)!);
            var command = "./build.sh --target Bench" + (isQuick ? " (--quick)" : "");
            File.WriteAllText(mdPath, BenchMarkdown.Format(env, results, command));

            var storePath = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);
            using (var store = ResultsStore.Open(storePath))
            {
                var runId = BenchStore.Record(store, env, results, started);
                Log($"bench: run {runId} in {storePath}");
            }
            Log($"bench: table in {mdPath}");
            return results.Any(x => x.Notes.StartsWith("failed:", StringComparison.Ordinal)) ? 1 : 0;
        }));
        return cmd;
    }
}
