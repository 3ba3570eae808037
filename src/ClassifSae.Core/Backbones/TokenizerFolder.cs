using System.Text.Json.Nodes;
using ClassifSae.Backbones.Bert;
using ClassifSae.Text;

namespace ClassifSae.Backbones;

/// <summary>
/// The tokenizer of a Hugging Face model folder, by what its files say: tokenizer.json's model type (BPE: GPT-NeoX, or
/// RoBERTa with its post-processor; WordPiece: BERT; Unigram: DeBERTa-v2/v3), or a bare vocab.txt (WordPiece, as all-MiniLM-L6-v2's sentence-transformers folder may ship).
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
        string? type, post;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(json)) as JsonObject;
            // Mistral / Llama 2: SentencePiece BPE with byte fallback.
            if (root is not null && SentencePieceBpeTokenizer.Handles(root)) return SentencePieceBpeTokenizer.Load(json, root);
            type = root?["model"]?["type"]?.GetValue<string>();
            post = root?["post_processor"]?["type"]?.GetValue<string>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { throw new InvalidDataException($"{json}: not valid JSON ({e.Message})"); }
        return (type, post) switch
        {
            // RoBERTa frames a sequence as <s> … </s> with its post-processor; GPT-NeoX's BPE adds nothing.
            ("BPE", "RobertaProcessing") => Roberta.RobertaTokenizer.Load(json),
            ("BPE", _) => HfBpeTokenizer.Load(json),
            ("WordPiece", _) => BertTextTokenizer.Load(folder),
            ("Unigram", _) => DebertaV2.DebertaV2Tokenizer.Load(json),
            _ => throw new InvalidDataException($"{json}: tokenizer model type '{type ?? "(none)"}' is not supported (expected BPE, WordPiece or Unigram)"),
        };
    }

    /// <summary>Copies the tokenizer files <paramref name="from"/> has into <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        foreach (var f in Files.Where(f => File.Exists(Path.Combine(from, f))))
            File.Copy(Path.Combine(from, f), Path.Combine(to, f), overwrite: true);
    }
}
