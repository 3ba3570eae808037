namespace ClassifSae.Tests.Slurm;

/// <summary>A test that needs a Slurm cluster: skipped (reported as such) unless SLURM_CONF points at one and sbatch exists.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        var conf = Environment.GetEnvironmentVariable("SLURM_CONF");
        var sbatch = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "sbatch")));
        if (string.IsNullOrEmpty(conf) || !File.Exists(conf) || !sbatch)
            Skip = "no Slurm cluster (./build.sh --target Test starts a local one where it can)";
    }
}
