using System.Text.Json;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The plain TopK SAE baseline (spec 01 §3.12, spec 02 §2.3): ClassifSAE's SAE trained with λ_mse = 1 and no
/// activation-rate loss or classifier head; z_class = the n_concepts features an L1 logistic probe weighs most.
/// The probe runs on the evaluated split with its true labels, as the original does, or (selection_split = train)
/// once at training time on the train split with the LLM's predicted labels, saved as selected_features.json.
/// Folder: the SAELens layout plus method.json (probe settings) and training_curve.json.
/// </summary>
public sealed class PlainSaeMethod : IConceptMethod
{
    public const string SelectionFile = "selected_features.json";

    public string Key => "sae";

    public string DisplayName => "SAE";

    public bool IsSparseAutoencoder => true;
    /// <summary>2: classifier_cfg.json no longer repeats the settings (they are in method.json once); version 1 folders still load.</summary>
    public int FormatVersion => 2;
    public IReadOnlyList<int> ReadableFormatVersions => [1, 2];
    public bool NeedsBackboneTail => false;

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var settings = input.SettingsOf<PlainSaeSettings>();
        var spec = settings.Selection;
        // Checked before training, not after minutes of it.
        if (spec.SelectionSplit == "train") RequireEnoughRowsForFolds(input.Predicted, spec.LogisticFolds, "the train split");
        var options = ClassifSaeMethod.Options(settings.Sae, input);
        var (result, last) = SaeMethodTraining.TrainAndSave(input, options, folder, "SAE");
        var metrics = new List<MetricRecord> { new("dead_features", result.DeadFeatures, "train", Key) };
        if (last is not null) metrics.Add(new MetricRecord("sae_final_loss", last.Total, "train", Key));
        if (spec.SelectionSplit == "train")
        {
            using var loaded = SaeFolder.Load(folder);
            using var activations = Batched.Apply(input.Hidden, 1024, new SaeBottleneck(loaded.Sae).Activations);
            var selection = LogisticSelection.Select(ForProbe(activations), input.Predicted, input.Classes, spec.NConcepts, spec.Probe);
            AtomicFile.WriteAllText(Path.Combine(folder, SelectionFile), JsonSerializer.Serialize(selection.Candidates));
            metrics.AddRange(Diagnostics(selection).Select(d => new MetricRecord(d.Metric, d.Value, "train", Key)));
        }
        return metrics;
    }

    public LoadedConcepts Load(string folder)
    {
        var file = MethodFile.Require(folder, this);
        var spec = file.Settings["selection"].Deserialize<SaeBaselineSettings>(SnakeCaseJson.Options)
                   ?? throw new InvalidDataException($"{folder}: method.json has no selection settings");
        int[]? fixedCandidates = null;
        if (spec.SelectionSplit == "train")
            fixedCandidates = JsonSerializer.Deserialize<int[]>(File.ReadAllText(Path.Combine(folder, SelectionFile)));
        return new Loaded(Key, SaeFolder.Load(folder), spec, fixedCandidates);
    }

    private static IEnumerable<(string Metric, double Value)> Diagnostics(LogisticSelectionResult s) =>
    [
        ("probe_best_c", s.BestC), ("probe_cv_accuracy", s.CvAccuracy[s.BestC]), ("probe_train_accuracy", s.TrainAccuracy),
        ("probe_nonzero_features", s.NonZeroFeatures),
    ];

    /// <summary>TopK codes are mostly zeros: hand large ones to the probe as a sparse tensor.</summary>
    private static Tensor ForProbe(Tensor activations)
    {
        var cells = activations.size(0) * activations.size(1);
        if (cells < 4_000_000) return activations;
        using var nonZero = activations.ne(0).sum();
        return nonZero.item<long>() < cells / 10 ? activations.to_sparse() : activations;
    }

    /// <summary>
    /// scikit-learn's StratifiedKFold refuses more folds than rows, or than rows of every class; so do we, naming the key,
    /// instead of fitting on empty folds.
    /// </summary>
    internal static void RequireEnoughRowsForFolds(IReadOnlyList<long> labels, int folds, string split)
    {
        var largestClass = labels.Count == 0 ? 0 : labels.GroupBy(l => l).Max(g => g.Count());
        if (labels.Count < folds || largestClass < folds)
            throw new UserError($"sae.logistic_folds = {folds} needs at least {folds} rows of some class in {split} " +
                                $"({labels.Count} rows, largest class {largestClass}); lower sae.logistic_folds or use more data");
    }

    private sealed class Loaded(string key, LoadedSae sae, SaeBaselineSettings spec, int[]? fixedCandidates) : LoadedConcepts
    {
        public override string Key => key;
        public override IConceptBottleneck Bottleneck { get; } = new SaeBottleneck(sae.Sae);
        public override int NConcepts => spec.NConcepts;

        public override ConceptCandidates Candidates(Tensor activations, IReadOnlyList<long> trueLabels, int classes)
        {
            if (fixedCandidates is not null) return ConceptCandidates.Fixed(fixedCandidates);
            RequireEnoughRowsForFolds(trueLabels, spec.LogisticFolds, "the evaluated split");
            var probeInput = ForProbe(activations);
            try
            {
                var selection = LogisticSelection.Select(probeInput, trueLabels, classes, spec.NConcepts, spec.Probe);
                return new ConceptCandidates(selection.Candidates, Diagnostics(selection).ToList());
            }
            finally
            {
                if (!ReferenceEquals(probeInput, activations)) probeInput.Dispose();
            }
        }

        public override void Dispose() => sae.Dispose();
    }
}
