using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.Data;
using ClassifSae.Formats;
using ClassifSae.Text;
using static TorchSharp.torch;

namespace ClassifSae.Pipeline.Stages;

/// <summary>The files of a finished FineTune stage and how to read them back.</summary>
public sealed class FineTuneArtifacts(string folder)
{
    public string Folder { get; } = folder;
    public string ModelDir => Path.Combine(Folder, "model");
    public const string HfTokenizerFileName = "tokenizer.json";
    public const string CompactTokenizerFileName = "compact_tokenizer.json";
    public string DataDir => Path.Combine(Folder, "data");
    public string PredictedLabelsFile(string split) => Path.Combine(Folder, "predicted_labels", split + ".safetensors");
    public string MetricsFile(string split) => Path.Combine(Folder, "model_metrics", split + ".json");
    public string CurvesFile => Path.Combine(Folder, "curves.json");
    public string PromptSettingsFile => Path.Combine(Folder, "prompt_settings.json");
    /// <summary>The trained soft prompt [P, D] of a soft-prompt-aligned model (spec 04 §3.3); absent for fine-tuned ones.</summary>
    public string SoftPromptFile => Path.Combine(Folder, "soft_prompt.safetensors");
    private const string SoftPromptTensor = "prompt";

    public void SaveSoftPrompt(Tensor prompt) =>
        SafetensorsFile.Write(SoftPromptFile, new Dictionary<string, Tensor> { [SoftPromptTensor] = prompt });

    /// <summary>The soft prompt every forward of this model puts in front of its prompts, or null when it has none.</summary>
    public Tensor? SoftPrompt()
    {
        if (!File.Exists(SoftPromptFile)) return null;
        var tensors = SafetensorsFile.Read(SoftPromptFile);
        return tensors.TryGetValue(SoftPromptTensor, out var t) ? t : throw new UserError($"{SoftPromptFile}: no '{SoftPromptTensor}' tensor");
    }

    public void SavePromptSettings(PromptSettings settings) =>
        AtomicFile.WriteAllText(PromptSettingsFile, System.Text.Json.JsonSerializer.Serialize(settings, Profile.JsonOptions));

    /// <summary>The prompt settings the model was fine-tuned with; a folder from before they were saved must be redone.</summary>
    public PromptSettings PromptSettings()
    {
        if (!File.Exists(PromptSettingsFile))
            throw new UserError($"{PromptSettingsFile}: missing (this FineTune output predates it; rerun `classifsae finetune`)");
        return System.Text.Json.JsonSerializer.Deserialize<PromptSettings>(File.ReadAllText(PromptSettingsFile), Profile.JsonOptions)
               ?? throw new UserError($"{PromptSettingsFile}: empty");
    }

    public TextDataset Dataset() => DatasetFiles.Load(DataDir);

    /// <summary>The tokenizer the model was fine-tuned with: the pretrained model's files (tokenizer.json / vocab.txt), or the smoke run's compact cl100k.</summary>
    public ITextTokenizer Tokenizer()
    {
        var compact = Path.Combine(Folder, CompactTokenizerFileName);
        return File.Exists(compact) ? CompactTokenizer.Load(compact) : TokenizerFolder.Load(Folder);
    }

    public void SaveTokenizer(ITextTokenizer tokenizer, string? pretrainedFolder)
    {
        if (tokenizer is CompactTokenizer compact) compact.Save(Path.Combine(Folder, CompactTokenizerFileName));
        else TokenizerFolder.Copy(pretrainedFolder!, Folder);
    }

    /// <summary>The fine-tuned classifier, whatever its family (<see cref="BackboneRegistry"/>).</summary>
    public IClassifierBackbone Model() => BackboneRegistry.Load(ModelDir);

    public BackboneShape ModelShape() => BackboneRegistry.Shape(ModelDir);

    public long[] PredictedLabels(string split)
    {
        var tensors = SafetensorsFile.Read(PredictedLabelsFile(split));
        using var t = tensors["predicted_labels"];
        return t.data<long>().ToArray();
    }

    public void SavePredictedLabels(string split, long[] labels)
    {
        using var t = tensor(labels);
        SafetensorsFile.Write(PredictedLabelsFile(split), new Dictionary<string, Tensor> { ["predicted_labels"] = t });
    }
}
