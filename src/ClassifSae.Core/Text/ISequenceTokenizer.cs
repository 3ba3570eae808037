namespace ClassifSae.Text;

/// <summary>
/// A tokenizer of a sequence classifier: besides the plain ids of <see cref="ITextTokenizer.Encode"/>, the ids of one
/// sequence as transformers feeds it with <c>add_special_tokens=True</c> (<c>[CLS] text [SEP]</c>, <c>&lt;s&gt; text &lt;/s&gt;</c>).
/// </summary>
public interface ISequenceTokenizer : ITextTokenizer
{
    /// <summary>The id the post-processor puts first ([CLS], &lt;s&gt;).</summary>
    int StartId { get; }

    /// <summary>The id the post-processor puts last ([SEP], &lt;/s&gt;).</summary>
    int EndId { get; }

    /// <summary><see cref="StartId"/>, the text's ids, <see cref="EndId"/>.</summary>
    int[] EncodeSequence(string text);
}
