using ClassifSae.Data;
using ClassifSae.Text;

namespace ClassifSae.Pipeline.Stages;

/// <summary>Turns examples into token ids of the full prompt (template + true label digit, as the original does everywhere).</summary>
public static class PromptEncoding
{
    public static PromptTemplate Template(TextDataset dataset, DatasetSpec spec) => new(dataset.ClassNames, spec.SpaceBeforeFinalNewline);

    public static List<int[]> FullPrompts(IReadOnlyList<TextExample> rows, PromptTemplate template, ITextTokenizer tokenizer) =>
        rows.Select(r => tokenizer.Encode(template.Full(r.Text, r.Label))).ToList();

    public static int[] LabelTokens(ITextTokenizer tokenizer, int classes) =>
        Enumerable.Range(0, classes).Select(tokenizer.LabelTokenId).ToArray();
}
