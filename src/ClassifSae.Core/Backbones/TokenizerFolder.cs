using System.Text.Json.Nodes;
using ClassifSae.Backbones.Bert;
using ClassifSae.Text;

namespace ClassifSae.Backbones;

/// <summary>
/// The tokenizer of a Hugging Face model folder, by what its files say: tokenizer.json's model type (BPE: GPT-NeoX;
/// WordPiece: BERT), or a bare vocab.txt (WordPiece, as all-MiniLM-L6-v2's sentence-transformers folder may ship).
/// </summary>
public static class TokenizerFolder
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabTxt = "vocab.txt";

    /// <summary>The files that make up a tokenizer, copied with a fine-tuned model so its folder stays self-contained.</summary>
    public static readonly IReadOnlyList<string> Files = [TokenizerJson, VocabTxt, "tokenizer_config.json", "special_tokens_map.json"];

    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, TokenizerJson)) || File.Exists(Path.Combine(folder, VocabTxt));

    public static ITextTokenizer Load(string folder)
    {
        var json = Path.Combine(folder, TokenizerJson);
        if (!File.Exists(json))
            return File.Exists(Path.Combine(folder, VocabTxt))
                ? BertTextTokenizer.Load(folder)
                : throw new FileNotFoundException($"{folder}: no {TokenizerJson} or {VocabTxt} (the model's tokenizer)", json);
        string? type;
        try { type = (JsonNode.Parse(File.ReadAllText(json)) as JsonObject)?["model"]?["type"]?.GetValue<string>(); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{json}: not valid JSON ({e.Message})"); }
        return type switch
        {
            "BPE" => HfBpeTokenizer.Load(json),
            "WordPiece" => BertTextTokenizer.Load(folder),
            _ => throw new InvalidDataException($"{json}: tokenizer model type '{type ?? "(none)"}' is not supported (expected BPE or WordPiece)"),
        };
    }

    /// <summary>Copies the tokenizer files <paramref name="from"/> has into <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        foreach (var f in Files.Where(f => File.Exists(Path.Combine(from, f))))
            File.Copy(Path.Combine(from, f), Path.Combine(to, f), overwrite: true);
    }
}
