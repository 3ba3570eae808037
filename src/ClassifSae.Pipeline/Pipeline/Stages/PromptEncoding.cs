using ClassifSae.Backbones;
using ClassifSae.Data;
using ClassifSae.Text;

namespace ClassifSae.Pipeline.Stages;

/// <summary>Turns examples into the backbone's prompts (GPT-NeoX: template + true label digit, as the original does everywhere).</summary>
public static class PromptEncoding
{
    public static PromptTemplate Template(TextDataset dataset, DatasetSpec spec) => new(dataset.ClassNames, spec.SpaceBeforeFinalNewline);

    public static List<int[]> FullPrompts(IClassifierBackbone backbone, IReadOnlyList<TextExample> rows, PromptTemplate template, ITextTokenizer tokenizer) =>
        rows.Select(r => backbone.EncodePrompt(tokenizer, template, r.Text, r.Label)).ToList();

    public static int[] LabelTokens(IClassifierBackbone backbone, ITextTokenizer tokenizer, int classes) => backbone.LabelOutputs(tokenizer, classes);
}
