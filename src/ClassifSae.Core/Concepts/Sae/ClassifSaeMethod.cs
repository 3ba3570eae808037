using ClassifSae.Evaluation.Completeness;
using ClassifSae.Pipeline;
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
    public int FormatVersion => 1;
    public bool NeedsBackboneTail => false;

    public object Settings(Profile profile) => new { classif_sae = profile.ClassifSae };

    public static ClassifSaeOptions Options(ClassifSaeSpec s, int dIn, int classes, long rows, long seed) => new()
    {
        DIn = dIn,
        DSae = s.ExpansionFactor * dIn,
        K = s.K,
        NConcepts = s.NConcepts,
        NbClasses = classes,
        LambdaMse = s.LambdaMse,
        LambdaAR = s.LambdaActivationRate,
        LambdaCls = s.LambdaClassifier,
        Tau = s.ActivationRate,
        TotalSteps = s.Steps,
        BatchSize = s.BatchSize,
        Lr = s.LearningRate,
        LrEnd = s.LearningRateEnd,
        LrDecaySteps = s.LearningRateDecaySteps,
        NoiseScale = s.NoiseScale,
        UseGhostGrads = s.GhostGrads,
        LenEpoch = rows,
        Seed = seed,
        HistoryEvery = 10,
    };

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var options = Options(input.Profile.ClassifSae, input.DIn, input.Classes, input.Predicted.Length, input.Seed);
        var (result, last) = SaeMethodTraining.TrainAndSave(input, options, folder, "ClassifSAE");
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
