using System.Security.Cryptography;
using System.Text;
using ClassifSae.Concepts;
using ClassifSae.Runtime;
using ClassifSae.Settings;
using static TorchSharp.torch;

namespace ClassifSae.Api;

/// <summary>
/// The library's front door: train any registered concept method (ClassifSAE, the plain SAE, ICA, ConceptSHAP) on your
/// own classifier's states and reload it, with no profile, store or pipeline. Everything else in the library is there
/// for those who want to go deeper (docs/architecture.md).
/// </summary>
public static class ConceptExtraction
{
    /// <summary>Method keys, in the order the paper reports them: <c>classifsae</c>, <c>sae</c>, <c>ica</c>, <c>conceptshap</c>.</summary>
    public static IReadOnlyList<string> Methods => ConceptMethods.Keys;

    /// <summary>
    /// Trains <paramref name="method"/> on <paramref name="states"/> [N, d] (float32, CPU) and the labels your classifier
    /// predicted for them, into <paramref name="folder"/> (created; a <c>method.json</c> records method, settings and hash).
    /// <paramref name="labelLogits"/> maps states [B, d] to your classifier's label logits [B, C] and is required by the
    /// methods trained through the model (ConceptSHAP). Returns the training metrics. Bad settings throw
    /// <see cref="UserError"/> naming the key.
    /// </summary>
    public static IReadOnlyList<MetricRecord> Train(string method, Tensor states, long[] predictedLabels, int classes,
        IMethodSettings settings, string folder, long seed = 42, Func<Tensor, Tensor>? labelLogits = null,
        ConceptProvenance? provenance = null, IProgressSink? progress = null)
    {
        var m = ConceptMethods.Get(method);
        if (states.dim() != 2 || states.dtype != ScalarType.Float32)
            throw new UserError($"states: expected a float32 tensor [N, d], got {states.dtype} [{string.Join(", ", states.shape)}]");
        if (predictedLabels.Length != states.size(0))
            throw new UserError($"predicted labels: {predictedLabels.Length} labels for {states.size(0)} states");
        if (predictedLabels.Any(l => l < 0 || l >= classes))
            throw new UserError($"predicted labels: expected values in [0, {classes - 1}] (classes = {classes})");
        if (m.NeedsBackboneTail && labelLogits is null)
            throw new UserError($"method '{method}' trains through the classifier: give labelLogits (states [B, d] → label logits [B, C])");
        var check = new SettingsCheck();
        settings.Check(check, (int)states.size(1), states.size(0));
        check.ThrowIfAny(problem => new UserError($"method '{method}': {problem}"));

        var input = new ConceptTrainingInput
        {
            Hidden = states, Predicted = predictedLabels, Classes = classes, Settings = settings, Seed = seed,
            Provenance = provenance ?? new ConceptProvenance("own-classifier", "own-states", "own-data"),
            LabelLogits = labelLogits, Progress = progress ?? SilentProgress.Instance,
        };
        return ConceptMethods.Train(m, input, folder, TrainingHash(method, settings, seed, states));
    }

    /// <summary>Reloads a folder written by <see cref="Train"/> (or by the pipeline's Train stage): its concept bottleneck
    /// (<c>Bottleneck.Activations(states)</c> [N, F]) and how many concepts it reports.</summary>
    public static LoadedConcepts Load(string folder)
    {
        var file = MethodFile.TryLoad(folder)
                   ?? throw new UserError($"{Path.Combine(folder, MethodFile.FileName)}: missing or unreadable (not a trained concept folder)");
        return ConceptMethods.Get(file.Method).Load(folder);
    }

    private static string TrainingHash(string method, IMethodSettings settings, long seed, Tensor states)
    {
        var text = $"{method}|{MethodFile.ToJson(settings).ToJsonString()}|{seed}|{string.Join("x", states.shape)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
