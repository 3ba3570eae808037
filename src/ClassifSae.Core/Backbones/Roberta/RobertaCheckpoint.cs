using System.Globalization;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Formats;

namespace ClassifSae.Backbones.Roberta;

/// <summary>Hugging Face folder I/O for RobertaForSequenceClassification: <c>config.json</c> + <c>model.safetensors</c> (or a sharded index).</summary>
public static class RobertaCheckpoint
{
    public const string ConfigFile = "config.json";

    /// <summary>Buffers some exports carry and the pooler a classifier never uses (transformers skips them too).</summary>
    private static bool Ignored(string name) =>
        name is "roberta.embeddings.position_ids" or "roberta.embeddings.token_type_ids" || name.StartsWith("roberta.pooler.", StringComparison.Ordinal);

    public static void Save(RobertaForSequenceClassification model, string folder) => CheckpointFolder.Write(folder, model.state_dict(), model.Config.ToJson());

    /// <summary>
    /// A classifier of <paramref name="classNames"/> reading the given hook (null: the config's, else the last layer at the first token),
    /// from a folder with its head (the classes must agree) or a pretrained one without (a new head from <paramref name="seed"/>,
    /// N(0, 0.02) as transformers initialises it).
    /// </summary>
    public static RobertaForSequenceClassification Start(string folder, IReadOnlyList<string> classNames, long seed, int? hookLayer = null, string? hookToken = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var path = Path.Combine(folder, ConfigFile);
        var cfg = RobertaConfig.Load(path);
        var hasHead = cfg.Architectures.Contains("RobertaForSequenceClassification");
        if (hasHead && cfg.NumLabels != classNames.Count)
            throw new InvalidDataException($"{path}: the classifier has {cfg.NumLabels} classes (id2label) but the data set has {classNames.Count}");
        var labels = classNames.Select((n, i) => (Id: i.ToString(CultureInfo.InvariantCulture), Name: n)).ToList();
        cfg = cfg with
        {
            Architectures = ["RobertaForSequenceClassification"],
            Id2Label = hasHead && cfg.Id2Label is not null ? cfg.Id2Label : labels.ToDictionary(l => l.Id, l => l.Name),
            Label2Id = null,
            HookLayer = hookLayer ?? cfg.HookLayer,
            HookToken = hookToken ?? cfg.HookToken,
        };
        cfg.Validate(path);
        var model = new RobertaForSequenceClassification(cfg);
        try
        {
            PretrainedStart.Load(model, folder, "roberta.", ["classifier."], std: 0.02, seed,
                $"a Roberta classifier with {cfg.NumLayers} layers");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static RobertaForSequenceClassification Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var cfg = RobertaConfig.Load(Path.Combine(folder, ConfigFile));
        var model = new RobertaForSequenceClassification(cfg);
        try
        {
            SafetensorsWeights.CopyInto(model.state_dict(), SafetensorsWeights.Files(folder), name => Ignored(name) ? null : name,
                folder, $"a RoBERTa classifier with {cfg.NumLayers} layers and {cfg.NumLabels} labels");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
