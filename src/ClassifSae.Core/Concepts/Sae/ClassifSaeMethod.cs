using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// ClassifSAE (spec 01 §3): the TopK SAE with the classifier head on its first n_concepts units, supervised by the
/// LLM's predicted labels. Folder: the SAELens layout of <see cref="SaeFolder"/> plus method.json and
/// training_curve.json. z_class = units 0…n_concepts−1 (truncation, spec 02 §2.4).
/// </summary>
public sealed class ClassifSaeMethod : IConceptMethod
{
    public string Key => "classifsae";
    public string DisplayName => "ClassifSAE";
    public bool IsSparseAutoencoder => true;
    /// <summary>2: classifier_cfg.json no longer repeats the settings (they are in method.json once); version 1 folders still load.</summary>
    public int FormatVersion => 2;
    public IReadOnlyList<int> ReadableFormatVersions => [1, 2];
    public bool NeedsBackboneTail => false;

    public static ClassifSaeOptions Options(ClassifSaeSettings settings, ConceptTrainingInput input) => new()
    {
        Settings = settings, DIn = input.DIn, NbClasses = input.Classes, LenEpoch = input.Predicted.Length, Seed = input.Seed, HistoryEvery = 10,
    };

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var settings = input.SettingsOf<ClassifSaeSettings>();
        var (result, last) = SaeMethodTraining.TrainAndSave(input, Options(settings, input), folder, "ClassifSAE");
        var metrics = new List<MetricRecord> { new("dead_features", result.DeadFeatures, "train", Key) };
        if (last is not null)
        {
            metrics.Add(new MetricRecord("sae_final_loss", last.Total, "train", Key));
            metrics.Add(new MetricRecord("sae_head_accuracy", last.ClassifierAccuracy, "train", Key));
        }
        return metrics;
    }

    public LoadedConcepts Load(string folder)
    {
        MethodFile.Require(folder, this);
        var sae = SaeFolder.Load(folder);
        return new FirstConcepts(Key, new SaeBottleneck(sae.Sae), sae.Head.NConcepts, sae);
    }
}
