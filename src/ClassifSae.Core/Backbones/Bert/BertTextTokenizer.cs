using System.Globalization;
using ClassifSae.Text;

namespace ClassifSae.Backbones.Bert;

/// <summary>
/// A BERT classifier's WordPiece tokenizer (vocab.txt or tokenizer.json, HF normaliser) as the pipeline's tokenizer:
/// sequences are [CLS] pieces [SEP] with no length cut here; the backbone's batch truncates on the right keeping [SEP],
/// as HF does for upstream's encoders (spec 04 §2.2).
/// </summary>
public sealed class BertTextTokenizer : IEncoderTokenizer
{
    private readonly BertWordPieceTokenizer _wordPiece;

    private BertTextTokenizer(BertWordPieceTokenizer wordPiece) => _wordPiece = wordPiece;

    public static BertTextTokenizer Load(string folder) => new(BertWordPieceTokenizer.Load(folder, int.MaxValue));

    public int VocabSize => _wordPiece.VocabSize;
    public int PadId => _wordPiece.PadId;
    public int ClsId => _wordPiece.ClsId;
    public int SepId => _wordPiece.SepId;

    public int[] EncodeSequence(string text) => _wordPiece.Encode(text);

    public int[] Encode(string text) => _wordPiece.Encode(text)[1..^1];

    public string Decode(IEnumerable<int> ids) => _wordPiece.Decode(ids);

    /// <summary>The digit's word piece (encoder classifiers score classes with their head, so only decoders use it).</summary>
    public int LabelTokenId(int classIndex)
    {
        var ids = Encode(classIndex.ToString(CultureInfo.InvariantCulture));
        return ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"label {classIndex} is not a single WordPiece token");
    }
}
