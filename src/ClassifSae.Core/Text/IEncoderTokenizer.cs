namespace ClassifSae.Text;

/// <summary>
/// A tokenizer of an encoder classifier (BERT, RoBERTa, DeBERTa): <see cref="ITextTokenizer.Encode"/> gives the bare pieces, and
/// <see cref="EncodeSequence"/> the model's input for one text, special tokens included (BERT: [CLS] pieces [SEP]).
/// </summary>
public interface IEncoderTokenizer : ITextTokenizer
{
    int[] EncodeSequence(string text);
}
