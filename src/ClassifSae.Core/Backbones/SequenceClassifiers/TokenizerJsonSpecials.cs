using System.Text.Json.Nodes;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// The special tokens a <c>tokenizer.json</c> wraps one sequence in, read from its <c>post_processor</c>
/// (RobertaProcessing / BertProcessing: <c>cls</c> and <c>sep</c>; TemplateProcessing: the <c>single</c> template
/// "X $A Y"), and its pad id (the <c>padding</c> section, else the added token named <paramref name="padToken"/>).
/// </summary>
public static class TokenizerJsonSpecials
{
    public static (int Start, int End, int Pad) Read(JsonObject root, string path, params string[] padToken)
    {
        string Fail(string what) => $"{path}: {what}";
        var post = root["post_processor"] as JsonObject ?? throw new InvalidDataException(Fail("no 'post_processor' (expected one that adds the start and end tokens)"));
        var type = post["type"]?.GetValue<string>();
        var (start, end) = type switch
        {
            "RobertaProcessing" or "BertProcessing" => (PairId(post["cls"], Fail("post_processor.cls")), PairId(post["sep"], Fail("post_processor.sep"))),
            "TemplateProcessing" => Template(post, Fail),
            _ => throw new InvalidDataException(Fail($"post_processor '{type}' is not supported (expected RobertaProcessing, BertProcessing or TemplateProcessing)")),
        };
        var added = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (Content: t?["content"]?.GetValue<string>(), Id: t?["id"]?.GetValue<int>()))
            .Where(t => t.Content is not null && t.Id is not null).ToDictionary(t => t.Content!, t => t.Id!.Value);
        var pad = root["padding"]?["pad_id"]?.GetValue<int>()
                  ?? padToken.Select(p => added.TryGetValue(p, out var id) ? id : (int?)null).FirstOrDefault(id => id is not null)
                  ?? throw new InvalidDataException(Fail($"no pad token (neither a 'padding' section nor an added token {string.Join(" or ", padToken)})"));
        return (start, end, pad);
    }

    private static int PairId(JsonNode? node, string what) =>
        node is JsonArray { Count: 2 } pair && pair[1] is JsonValue v && v.TryGetValue<int>(out var id)
            ? id
            : throw new InvalidDataException($"{what} must be [token, id]");

    private static (int, int) Template(JsonObject post, Func<string, string> fail)
    {
        var single = post["single"] as JsonArray ?? throw new InvalidDataException(fail("post_processor.single missing"));
        var pieces = single.Select(p => p is JsonObject o && o["SpecialToken"] is JsonObject s ? s["id"]?.GetValue<string>() : p is JsonObject q && q["Sequence"] is not null ? "$A" : null).ToList();
        if (pieces.Count != 3 || pieces[1] != "$A" || pieces[0] is null || pieces[2] is null)
            throw new InvalidDataException(fail("post_processor.single must be 'START $A END' (one special token on each side)"));
        int Id(string token) =>
            post["special_tokens"]?[token]?["ids"] is JsonArray { Count: 1 } ids ? ids[0]!.GetValue<int>()
                : throw new InvalidDataException(fail($"post_processor.special_tokens has no single id for '{token}'"));
        return (Id(pieces[0]!), Id(pieces[2]!));
    }
}
