using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Ica;

/// <summary>
/// FastICA baseline (spec 02 §2.1), fitted on the train-split states (labels unused). Folder: method.json and
/// ica.safetensors with <c>components</c> [m, d] (sklearn's components_), <c>mixing</c> [d, m] (mixing_) and
/// <c>mean</c> [d] (mean_), fp32. z_class candidates: every component, in index order.
/// </summary>
public sealed class IcaMethod : IConceptMethod
{
    public const string WeightsFile = "ica.safetensors";

    public string Key => "ica";

    public string DisplayName => "ICA";
    /// <summary>2: method.json's settings are the <c>ica</c> section itself (version 1 nested it); the folder loads either way.</summary>
    public int FormatVersion => 2;
    public IReadOnlyList<int> ReadableFormatVersions => [1, 2];
    public bool NeedsBackboneTail => false;

    public IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder)
    {
        var settings = input.SettingsOf<IcaSettings>();
        using var bar = input.Progress.Begin($"fit FastICA ({settings.Components} components)", 1);
        using var model = FastIca.Fit(input.Hidden, settings, input.Seed);
        bar.Advance();
        Directory.CreateDirectory(folder);
        SafetensorsFile.Write(Path.Combine(folder, WeightsFile), new Dictionary<string, Tensor>
        {
            ["components"] = model.Components, ["mixing"] = model.Mixing, ["mean"] = model.Mean,
        });
        input.Log($"FastICA: {model.Iterations} iterations, {(model.Converged ? "converged" : "NOT converged")}");
        return
        [
            new MetricRecord("ica_iterations", model.Iterations, "train", Key),
            new MetricRecord("ica_converged", model.Converged ? 1 : 0, "train", Key),
        ];
    }

    public LoadedConcepts Load(string folder)
    {
        MethodFile.Require(folder, this);
        var path = Path.Combine(folder, WeightsFile);
        var t = SafetensorsFile.Read(path);
        foreach (var name in new[] { "components", "mixing", "mean" })
            if (!t.ContainsKey(name)) throw new InvalidDataException($"{path}: missing tensor '{name}'");
        var m = t["components"].size(0);
        var d = t["components"].size(1);
        if (!t["mixing"].shape.SequenceEqual([d, m]) || !t["mean"].shape.SequenceEqual([d]))
            throw new InvalidDataException($"{path}: shapes do not match components [{m}, {d}]");
        var model = new IcaModel(t["components"], t["mixing"], t["mean"], 0, true);
        return new FirstConcepts(Key, new IcaBottleneck(model), model.NComponents, model);
    }
}
