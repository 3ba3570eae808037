namespace ClassifSae.Text;

/// <summary>The tokenizer contract the model, caching and interpretation code rely on.</summary>
public interface ITextTokenizer
{
    /// <summary>Token ids of a text, with no BOS/EOS added (the sequence ends with the text's last token).</summary>
    int[] Encode(string text);

    /// <summary>Text of a token sequence (a pretrained tokenizer decodes every id, special tokens included; the compact one skips its pad).</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>Number of ids, i.e. the embedding/unembedding size.</summary>
    int VocabSize { get; }

    /// <summary>Id used for left padding (also the end-of-text id).</summary>
    int PadId { get; }

    /// <summary>Token id of a class's label digit, found by tokenising the digit string (never hard-coded).</summary>
    int LabelTokenId(int classIndex);
}
