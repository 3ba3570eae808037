using System.CommandLine;
using ClassifSae.Pipeline.Slurm;
using ClassifSae.Results;

namespace ClassifSae.Cli;

/// <summary><c>classifsae status</c>: this profile's Slurm jobs in the queue, and the stages the results store has.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var cmd = new Command("status", "show queued/running Slurm jobs of a profile and the stages recorded in the results store");
        cmd.Options.Add(CommonOptions.Profile);
        cmd.Options.Add(CommonOptions.Store);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var profile = Path.GetFileNameWithoutExtension(r.GetValue(CommonOptions.Profile)!);
            var mine = SlurmQueue.JobsOf(profile);
            Console.WriteLine(mine.Count == 0 ? "no queued or running jobs" : string.Join('\n', mine));
            var path = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            if (!File.Exists(path)) { Console.WriteLine($"{path}: no results store yet"); return 0; }
            using var store = ResultsStore.Open(path);
            Console.Write(store.Query(
                "SELECT r.model, r.dataset, r.seed, s.stage, s.status, round(s.seconds, 1) AS seconds, s.finished_at " +
                "FROM stages s JOIN runs r USING (run_id) WHERE r.profile = $p ORDER BY r.model, r.dataset, r.seed, s.started_at",
                new Dictionary<string, object?> { ["p"] = profile }).Format(QueryResultFormat.Text));
            return 0;
        }));
        return cmd;
    }
}
