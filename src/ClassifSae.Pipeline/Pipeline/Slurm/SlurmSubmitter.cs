using System.Diagnostics;
using ClassifSae.Formats;

namespace ClassifSae.Pipeline.Slurm;

/// <summary>
/// Writes each job's script next to the runs and submits it with sbatch; a failed parent cancels its
/// dependants (<c>--kill-on-invalid-dep=yes</c>) instead of leaving them pending forever.
/// </summary>
public static class SlurmSubmitter
{
    public static void Submit(IReadOnlyList<SlurmJob> jobs, string scriptDir, Action<string> log)
    {
        Directory.CreateDirectory(scriptDir);
        var ids = new Dictionary<string, string>();
        foreach (var job in jobs)
        {
            var path = Path.Combine(scriptDir, job.Name + ".sbatch");
            AtomicFile.WriteAllText(path, job.Script);
            var args = new List<string> { "--parsable", "--kill-on-invalid-dep=yes" };
            var deps = job.DependsOn.Select(d => ids[d]).ToList();
            if (deps.Count > 0) args.Add("--dependency=afterok:" + string.Join(":", deps));
            args.Add(path);
            var (code, output) = Run("sbatch", args);
            if (code != 0) throw new UserError($"sbatch {job.Name} failed (exit {code}): {output.Trim()}");
            job.JobId = output.Trim().Split(';')[0];
            ids[job.Name] = job.JobId;
            log($"submitted {job.Name} as job {job.JobId}{(deps.Count > 0 ? $" after {string.Join(",", deps)}" : "")}");
        }
    }

    /// <summary>Waits until none of the jobs is pending or running; returns each job's final state from scontrol.</summary>
    public static Dictionary<string, string> Wait(IReadOnlyList<SlurmJob> jobs, TimeSpan timeout, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var states = new Dictionary<string, string>();
        while (true)
        {
            foreach (var job in jobs) states[job.Name] = State(job.JobId!);
            if (states.Values.All(s => s is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "UNKNOWN"))) return states;
            if (clock.Elapsed > timeout) throw new TimeoutException($"Slurm jobs still running after {timeout}");
            Thread.Sleep(2000);
        }
    }

    public static string State(string jobId)
    {
        var (code, output) = Run("scontrol", ["show", "job", jobId]);
        if (code != 0) return "UNKNOWN";
        var i = output.IndexOf("JobState=", StringComparison.Ordinal);
        return i < 0 ? "UNKNOWN" : output[(i + 9)..].Split(' ', '\n')[0];
    }

    public static (int Code, string Output) Run(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserError($"'{exe}' not found: --scheduler slurm needs the Slurm client tools on PATH");
        }
    }
}
