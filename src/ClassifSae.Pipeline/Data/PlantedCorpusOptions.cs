namespace ClassifSae.Data;

/// <summary>Size and seed of the planted corpus. Defaults suit the smoke profile (a few thousand sentences).</summary>
public sealed record PlantedCorpusOptions(
    int Classes = 4,
    int SubTopicsPerClass = 3,
    int TrainSize = 3000,
    int TestSize = 600,
    long Seed = 42)
{
    public int Cells => Classes * SubTopicsPerClass;

    public PlantedCorpusOptions Validate()
    {
        if (Classes < 2 || Classes > PlantedVocabulary.Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, $"Classes must be 2..{PlantedVocabulary.Classes.Count}.");
        var maxSub = PlantedVocabulary.Classes.Min(c => c.SubTopics.Count);
        if (SubTopicsPerClass < 1 || SubTopicsPerClass > maxSub)
            throw new ArgumentOutOfRangeException(nameof(SubTopicsPerClass), SubTopicsPerClass, $"SubTopicsPerClass must be 1..{maxSub}.");
        // Balance needs every (class, sub-topic) cell present in both splits.
        if (TrainSize < Cells)
            throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize, $"TrainSize must be at least {Cells} (one per sub-topic).");
        if (TestSize < Cells)
            throw new ArgumentOutOfRangeException(nameof(TestSize), TestSize, $"TestSize must be at least {Cells} (one per sub-topic).");
        return this;
    }
}
