using System.Text.Json.Nodes;
using ClassifSae.Backbones.SequenceClassifiers;
using ClassifSae.Text;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// RoBERTa's byte-level BPE from its <c>tokenizer.json</c>: the BPE itself is <see cref="HfBpeTokenizer"/> (Microsoft.ML.Tokenizers'
/// BpeTokenizer with the GPT-2 split, as GPT-2 and RoBERTa share it); the &lt;s&gt;/&lt;/s&gt; wrapping and the pad id come from
/// the file's post_processor and added tokens. (The library's CodeGenTokenizer does the same BPE but reads vocab.json +
/// merges.txt, which a tokenizer.json-only folder does not have.)
/// </summary>
public sealed class RobertaTokenizer : ISequenceTokenizer
{
    private readonly HfBpeTokenizer _bpe;

    public int StartId { get; }
    public int EndId { get; }
    public int PadId { get; }
    public int VocabSize => _bpe.VocabSize;

    private RobertaTokenizer(HfBpeTokenizer bpe, int start, int end, int pad) => (_bpe, StartId, EndId, PadId) = (bpe, start, end, pad);

    public static RobertaTokenizer Load(string path)
    {
        var bpe = HfBpeTokenizer.Load(path);
        var root = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        var (start, end, pad) = TokenizerJsonSpecials.Read(root, path, "<pad>");
        return new RobertaTokenizer(bpe, start, end, pad);
    }

    public int[] Encode(string text) => _bpe.Encode(text);

    public int[] EncodeSequence(string text) => [StartId, .. Encode(text), EndId];

    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids);

    public int LabelTokenId(int classIndex) => _bpe.LabelTokenId(classIndex);
}
