namespace ClassifSae.Pipeline.Slurm;

/// <summary>
/// Checks the profile's free-form job-script lines (<c>slurm.setup</c>, <c>slurm.extra_options</c>, and each stage's
/// <c>extra_options</c>) before any script is written: one line each, options in <c>#SBATCH</c> form.
/// </summary>
public static class SlurmScriptOptions
{
    public static void Validate(SlurmSpec slurm)
    {
        for (var i = 0; i < slurm.Setup.Count; i++)
            if (string.IsNullOrWhiteSpace(slurm.Setup[i]) || slurm.Setup[i].Contains('\n') || slurm.Setup[i].Contains('\r'))
                throw new UserError($"slurm.setup[{i}]: expected one non-empty shell line, got {Show(slurm.Setup[i])}");
        CheckOptions("slurm.extra_options", slurm.ExtraOptions);
        foreach (var (stage, resources) in slurm.Stages) CheckOptions($"slurm.stages.{stage}.extra_options", resources.ExtraOptions);
    }

    private static void CheckOptions(string key, IReadOnlyList<string> options)
    {
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            if (!o.StartsWith('-'))
                throw new UserError($"{key}[{i}]: expected an sbatch option such as \"--qos=normal\" or \"--constraint=a100\", got {Show(o)}");
            if (o.Contains('\n') || o.Contains('\r'))
                throw new UserError($"{key}[{i}]: expected one line, got {Show(o)}");
        }
    }

    private static string Show(string s) => "\"" + s.ReplaceLineEndings("\\n") + "\"";
}
