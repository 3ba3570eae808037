using ClassifSae.Backbones;
using ClassifSae.Backbones.DebertaV2;
using ClassifSae.Backbones.Registry;
using ClassifSae.Backbones.Roberta;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>Starting a RoBERTa / DeBERTa-v2 classifier from a pretrained folder (new head) or a fine-tuned one, and the hook its config records.</summary>
public sealed class EncoderStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("encoder-start-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Classes = ["World", "Sports", "Business"];

    private static (IClassifierBackbone Model, string Prefix, string[] Heads, Func<string, long, IClassifierBackbone> Start) Family(string family) => family == "roberta"
        ? (TinyRoberta.Create(), "roberta.", ["classifier."], (f, s) => RobertaCheckpoint.Start(f, Classes, s))
        : (TinyDebertaV2.Create(TinyDebertaV2.V3), "deberta.", ["pooler.", "classifier."], (f, s) => DebertaV2Checkpoint.Start(f, Classes, s));

    /// <summary>The folder a base model (no classification head) is saved as: bare trunk names, plus another task's head.</summary>
    private string BaseFolder(IClassifierBackbone model, string prefix, string[] heads)
    {
        var folder = Path.Combine(_dir, "base");
        model.Save(folder);
        var weights = Path.Combine(folder, "model.safetensors");
        var tensors = SafetensorsFile.Read(weights);
        var stripped = tensors.Where(kv => !heads.Any(h => kv.Key.StartsWith(h, StringComparison.Ordinal)))
            .ToDictionary(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) ? kv.Key[prefix.Length..] : kv.Key, kv => kv.Value);
        stripped["lm_head.dense.weight"] = zeros(4, 4);
        SafetensorsFile.Write(weights, stripped);
        var config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("ForSequenceClassification", "ForMaskedLM"));
        return folder;
    }

    [Theory]
    [InlineData("roberta")]
    [InlineData("deberta-v2")]
    public void A_base_model_keeps_its_trunk_and_gets_a_seeded_new_head(string family)
    {
        var (model, prefix, heads, start) = Family(family);
        using var _ = model;
        var folder = BaseFolder(model, prefix, heads);
        using var a = start(folder, 42);
        using var b = start(folder, 42);
        var original = model.Module.state_dict();
        var started = a.Module.state_dict();
        foreach (var (name, t) in started)
        {
            if (heads.Any(h => name.StartsWith(h, StringComparison.Ordinal)))
            {
                Assert.True(t.eq(b.Module.state_dict()[name]).all().item<bool>(), $"{name}: same seed, same head");
                if (name.EndsWith(".bias", StringComparison.Ordinal)) Assert.Equal(0f, t.abs().max().item<float>());
                else Assert.InRange(t.std().item<float>(), 0.01f, 0.03f);
            }
            else Assert.True(t.eq(original[name]).all().item<bool>(), $"{name} is the pretrained tensor");
        }
        Assert.Equal(family, a.Shape.Family);
        Assert.Equal([0, 1, 2], a.LabelOutputs(new CompactLabels(), 3));
    }

    [Theory]
    [InlineData("roberta")]
    [InlineData("deberta-v2")]
    public void A_fine_tuned_folder_keeps_its_head_and_must_have_the_data_classes(string family)
    {
        var (model, _, heads, start) = Family(family);
        using var __ = model;
        var folder = Path.Combine(_dir, "tuned");
        model.Save(folder);
        using var started = start(folder, 1);
        foreach (var (name, t) in started.Module.state_dict().Where(kv => heads.Any(h => kv.Key.StartsWith(h, StringComparison.Ordinal))))
            Assert.True(t.eq(model.Module.state_dict()[name]).all().item<bool>(), name);
        var two = family == "roberta"
            ? Assert.Throws<InvalidDataException>(() => RobertaCheckpoint.Start(folder, ["neg", "pos"], 1))
            : Assert.Throws<InvalidDataException>(() => DebertaV2Checkpoint.Start(folder, ["neg", "pos"], 1));
        Assert.Contains("config.json: the classifier has 3 classes (id2label) but the data set has 2", two.Message);
    }

    [Fact]
    public void The_hook_chosen_at_start_is_saved_in_config_json_and_read_back_by_every_stage()
    {
        using var model = TinyDebertaV2.Create(TinyDebertaV2.V3);
        var folder = Path.Combine(_dir, "tuned");
        model.Save(folder);
        using (var started = DebertaV2Checkpoint.Start(folder, Classes, 1, hookLayer: 1, hookToken: "mean"))
            started.Save(Path.Combine(_dir, "hooked"));
        Assert.Equal(new BackboneShape("deberta-v2", 40, 32, 2, 1, "blocks.1.hook_resid_pre.mean"), BackboneRegistry.Shape(Path.Combine(_dir, "hooked")));
        using var loaded = (DebertaV2ForSequenceClassification)BackboneRegistry.Load(Path.Combine(_dir, "hooked"));
        Assert.Equal(EncoderHookPooling.Mean, loaded.HookPooling);
        // A folder with its head keeps its own class names (config.json id2label), whatever the data calls them.
        Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2"], loaded.Config.ClassNames);
        var e = Assert.Throws<InvalidDataException>(() => RobertaCheckpoint.Start(folder, Classes, 1, hookToken: "last"));
        Assert.Contains("model_type 'deberta-v2' is not supported (expected 'roberta')", e.Message);
        var bad = Assert.Throws<InvalidDataException>(() => DebertaV2Checkpoint.Start(folder, Classes, 1, hookLayer: 3));
        Assert.Contains("classifsae_hook_layer 3 is outside 0..2", bad.Message);
    }

    /// <summary>LabelOutputs of a sequence classifier never reads the tokenizer.</summary>
    private sealed class CompactLabels : ClassifSae.Text.ITextTokenizer
    {
        public int[] Encode(string text) => throw new InvalidOperationException("not used");
        public string Decode(IEnumerable<int> ids) => throw new InvalidOperationException("not used");
        public int VocabSize => 0;
        public int PadId => 0;
        public int LabelTokenId(int classIndex) => throw new InvalidOperationException("not used");
    }
}
