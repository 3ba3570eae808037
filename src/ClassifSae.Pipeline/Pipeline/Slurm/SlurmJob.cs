namespace ClassifSae.Pipeline.Slurm;

/// <summary>One sbatch job: a stage for one (model, data set, seed), or the report over everything.</summary>
public sealed record SlurmJob(string Name, string Stage, string Script, IReadOnlyList<string> DependsOn)
{
    public string? JobId { get; set; }
}
