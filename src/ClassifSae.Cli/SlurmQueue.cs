using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Slurm;

namespace ClassifSae.Cli;

/// <summary>The queue lines (squeue) of a profile's jobs; a machine without a reachable Slurm cluster is one clear error.</summary>
internal static class SlurmQueue
{
    private const string Hint = "classifsae status lists a profile's Slurm jobs; run it where sbatch/squeue work (the results store: classifsae query)";

    public static List<string> JobsOf(string profile)
    {
        (int Code, string Output) result;
        try
        {
            result = SlurmSubmitter.Run("squeue", ["-h", "-o", "%i %j %T %M %R"]);
        }
        catch (UserError)
        {
            throw new UserError($"no Slurm cluster: squeue is not on PATH; {Hint}");
        }
        if (result.Code != 0)
        {
            // squeue's own message is several lines of resolver/config detail; its first line says enough.
            var first = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            if (first.Length > 160) first = first[..160] + "…";
            throw new UserError($"no Slurm cluster reachable (squeue exit {result.Code}: {first}); {Hint}");
        }
        return result.Output.Split('\n').Where(l => l.Contains($"classifsae-{profile}-", StringComparison.Ordinal)).ToList();
    }
}
