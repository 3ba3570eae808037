using System.Text.Json.Nodes;

namespace ClassifSae.Text;

/// <summary>Reads a Hugging Face <c>tokenizer.json</c> with the matching implementation: SentencePiece BPE with byte fallback, or byte-level BPE.</summary>
public static class HfTokenizerJson
{
    public static ITextTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: tokenizer.json not found", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        return SentencePieceBpeTokenizer.Handles(root) ? SentencePieceBpeTokenizer.Load(path, root) : HfBpeTokenizer.Load(path);
    }
}
