using System.Globalization;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Hugging Face folder I/O of <see cref="BertForSequenceClassification"/>: config.json (with id2label and our hook keys) and
/// model.safetensors under transformers' names (<c>bert.*</c>, <c>classifier.*</c>). A plain <c>BertModel</c> folder
/// (tensors without the <c>bert.</c> prefix, e.g. all-MiniLM-L6-v2) starts a classifier with a new head, as
/// <c>AutoModelForSequenceClassification.from_pretrained(num_labels=C)</c> does (spec 04 §3.2: N(0, 0.02), bias 0).
/// </summary>
public static class BertClassifierCheckpoint
{
    private const string Prefix = "bert.";
    private const string HeadPrefix = "classifier.";
    public const string Architecture = "BertForSequenceClassification";

    public static BertForSequenceClassification Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: model folder not found");
        var path = Path.Combine(folder, BertConfig.FileName);
        var cfg = BertConfig.Load(path);
        if (cfg.Id2Label is null) throw new InvalidDataException($"{path}: id2label missing (a sequence classifier's config names its classes)");
        return Build(cfg, folder, newHeadSeed: null);
    }

    /// <summary>A classifier for <paramref name="start"/>'s classes and hook from a BERT folder with or without a classification head.</summary>
    public static BertForSequenceClassification Start(string folder, ClassifierStart start)
    {
        var path = Path.Combine(folder, BertConfig.FileName);
        var cfg = BertConfig.Load(path);
        var hasHead = cfg.Architectures?.Contains(Architecture) == true;
        if (hasHead && cfg.Id2Label is { } id2label && id2label.Count != start.ClassNames.Count)
            throw new InvalidDataException($"{path}: the classifier has {id2label.Count} classes (id2label) but the data set has {start.ClassNames.Count}");
        var labels = start.ClassNames.Select((n, i) => (Id: i.ToString(CultureInfo.InvariantCulture), Name: n)).ToList();
        cfg = cfg with
        {
            Architectures = [Architecture],
            Id2Label = hasHead && cfg.Id2Label is not null ? cfg.Id2Label : labels.ToDictionary(l => l.Id, l => l.Name),
            Label2Id = hasHead && cfg.Label2Id is not null ? cfg.Label2Id : labels.ToDictionary(l => l.Name, l => int.Parse(l.Id, CultureInfo.InvariantCulture)),
            HookLayer = start.HookLayer ?? cfg.HookLayer,
            HookToken = start.HookToken ?? cfg.HookToken,
        };
        cfg.Validate(path);
        return Build(cfg, folder, hasHead ? null : start.Seed);
    }

    public static void Save(BertForSequenceClassification model, string folder) => CheckpointFolder.Write(folder, model.state_dict(), model.Config.ToJson());

    private static BertForSequenceClassification Build(BertConfig cfg, string folder, long? newHeadSeed)
    {
        var model = new BertForSequenceClassification(cfg);
        try
        {
            var expected = model.state_dict();
            if (newHeadSeed is { } seed)
            {
                using var _ = no_grad();
                var g = new Generator((ulong)seed);
                foreach (var (name, t) in expected.Where(kv => kv.Key.StartsWith(HeadPrefix, StringComparison.Ordinal)).ToList())
                {
                    if (name.EndsWith(".weight", StringComparison.Ordinal)) t.normal_(0, cfg.InitializerRange, generator: g);
                    else t.zero_();
                    expected.Remove(name);
                }
            }
            SafetensorsWeights.CopyInto(expected, SafetensorsWeights.Files(folder), Rename, folder,
                $"a BERT classifier with {cfg.NumLayers} layers{(newHeadSeed is null ? "" : " (new head)")}");
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>transformers' names as stored; a head-less BertModel's names gain the <c>bert.</c> prefix; the position_ids buffer is recomputed; an MLM head is skipped.</summary>
    private static string? Rename(string stored)
    {
        if (stored.StartsWith("cls.", StringComparison.Ordinal)) return null; // a masked-LM / pretraining head, not used by a classifier
        var name = stored.StartsWith(Prefix, StringComparison.Ordinal) || stored.StartsWith(HeadPrefix, StringComparison.Ordinal) ? stored : Prefix + stored;
        return name == Prefix + "embeddings.position_ids" ? null : name;
    }
}
