using System.Globalization;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Formats;

namespace ClassifSae.Backbones.DebertaV2;

/// <summary>Hugging Face folder I/O for DebertaV2ForSequenceClassification: <c>config.json</c> + <c>model.safetensors</c> (or a sharded index).</summary>
public static class DebertaV2Checkpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>The position_ids buffer some exports carry (transformers skips it too).</summary>
    private static bool Ignored(string name) => name == "deberta.embeddings.position_ids";

    public static void Save(DebertaV2ForSequenceClassification model, string folder) => CheckpointFolder.Write(folder, model.state_dict(), model.Config.ToJson());

    /// <summary>
    /// A classifier of <paramref name="classNames"/> reading the given hook (null: the config's, else the last layer at the first token),
    /// from a folder with its head (the classes must agree) or a pretrained one without (a new head from <paramref name="seed"/>,
    /// N(0, 0.02) as transformers initialises it).
    /// </summary>
    public static DebertaV2ForSequenceClassification Start(string folder, IReadOnlyList<string> classNames, long seed, int? hookLayer = null, string? hookToken = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var path = Path.Combine(folder, ConfigFile);
        var cfg = DebertaV2Config.Load(path);
        var hasHead = cfg.Architectures.Contains("DebertaV2ForSequenceClassification");
        if (hasHead && cfg.NumLabels != classNames.Count)
            throw new InvalidDataException($"{path}: the classifier has {cfg.NumLabels} classes (id2label) but the data set has {classNames.Count}");
        var labels = classNames.Select((n, i) => (Id: i.ToString(CultureInfo.InvariantCulture), Name: n)).ToList();
        cfg = cfg with
        {
            Architectures = ["DebertaV2ForSequenceClassification"],
            Id2Label = hasHead && cfg.Id2Label is not null ? cfg.Id2Label : labels.ToDictionary(l => l.Id, l => l.Name),
            Label2Id = null,
            HookLayer = hookLayer ?? cfg.HookLayer,
            HookToken = hookToken ?? cfg.HookToken,
        };
        cfg.Validate(path);
        var model = new DebertaV2ForSequenceClassification(cfg);
        try
        {
            PretrainedStart.Load(model, folder, "deberta.", ["pooler.", "classifier."], std: 0.02, seed,
                $"a DebertaV2 classifier with {cfg.NumLayers} layers");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static DebertaV2ForSequenceClassification Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = DebertaV2Config.Load(Path.Combine(folder, ConfigFile));
        var model = new DebertaV2ForSequenceClassification(cfg);
        try
        {
            SafetensorsWeights.CopyInto(model.state_dict(), SafetensorsWeights.Files(folder), name => Ignored(name) ? null : name,
                folder, $"a DeBERTa-v2 classifier with {cfg.NumLayers} layers and {cfg.NumLabels} labels");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
