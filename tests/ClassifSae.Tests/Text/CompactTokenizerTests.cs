using ClassifSae.Text;
using Xunit.Abstractions;

namespace ClassifSae.Tests.Text;

public class CompactTokenizerTests(ITestOutputHelper output)
{
    private static readonly string[] Texts =
    [
        "Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, are seeing green again.",
        "The striker scored twice as the club won the league title",
        "Scientists launched a new satellite to study the moon",
    ];

    private static readonly PromptTemplate Ag = PromptTemplate.AgNews();
    private static readonly Lazy<CompactTokenizer> Shared = new(() => CompactTokenizer.Build(Texts, Ag));

    [Fact]
    public void CompactIdsAreSmallAndOrdered()
    {
        var tok = Shared.Value;
        Assert.Equal(0, tok.PadId);
        Assert.Equal(1, tok.UnknownId);
        Assert.Equal(tok.OriginalIds.Count + 2, tok.VocabSize);
        Assert.True(tok.VocabSize < 200, $"vocab {tok.VocabSize}");
        Assert.Equal(tok.OriginalIds.Order(), tok.OriginalIds);
        Assert.Equal(2, tok.CompactId(tok.OriginalIds[0]));
        Assert.Equal(tok.OriginalIds[^1], tok.OriginalId(tok.VocabSize - 1));
    }

    [Fact]
    public void EncodeDecodeRoundTripsFullPrompts()
    {
        var tok = Shared.Value;
        foreach (var text in Texts)
        {
            var full = Ag.Full(text, 2);
            var ids = tok.Encode(full);
            Assert.DoesNotContain(tok.UnknownId, ids);
            Assert.Equal(full, tok.Decode(ids));
            // Left padding is invisible to decoding.
            Assert.Equal(full, tok.Decode(new[] { tok.PadId, tok.PadId }.Concat(ids)));
        }
    }

    [Fact]
    public void LabelTokensComeFromTokenizerAndDecodeToDigits()
    {
        var tok = Shared.Value;
        var baseTok = CompactTokenizer.BaseTokenizer();
        for (var c = 0; c < 4; c++)
        {
            var id = tok.LabelTokenId(c);
            Assert.Equal(c.ToString(), tok.Decode([id]));
            Assert.Equal(baseTok.EncodeToIds(c.ToString()).Single(), tok.OriginalId(id));
        }
        Assert.Equal(4, Enumerable.Range(0, 4).Select(tok.LabelTokenId).Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FullPromptEndsWithLabelTokenAfterPromptTokens(bool space)
    {
        var t = PromptTemplate.AgNews(space);
        var tok = CompactTokenizer.Build(Texts, t);
        foreach (var text in Texts)
            for (var y = 0; y < 4; y++)
            {
                var full = tok.Encode(t.Full(text, y));
                // The label digit is its own last token and does not change the prompt's tokens,
                // so the decision position L−2 is the last prompt token.
                Assert.Equal(tok.Encode(t.Prompt(text)).Append(tok.LabelTokenId(y)), full);
                Assert.Equal(full.Length - 2, PromptBatch.DecisionIndex(full));
            }
    }

    [Fact]
    public void Cl100kTailTokens()
    {
        var tok = Shared.Value;
        var ids = tok.Encode(Ag.Full(Texts[0], 2));
        var tail = ids[^4..].Select(i => tok.Decode([i])).ToArray();
        output.WriteLine("tail (space variant): " + string.Join(" | ", tail.Select(s => System.Text.Json.JsonSerializer.Serialize(s))));
        // cl100k_base's pre-tokenizer matches "\s*[\r\n]+", so " \n" is ONE token (GPT-NeoX gives " ", "\n").
        // The decision position (L−2) is therefore the " \n" token; it is still the token right before the digit.
        Assert.Equal(["Tech", ")", " \n", "2"], tail);

        var head = PromptTemplate.AgNews(false);
        var tokHead = CompactTokenizer.Build(Texts, head);
        var tailHead = tokHead.Encode(head.Full(Texts[0], 2))[^3..].Select(i => tokHead.Decode([i])).ToArray();
        output.WriteLine("tail (HEAD variant): " + string.Join(" | ", tailHead.Select(s => System.Text.Json.JsonSerializer.Serialize(s))));
        // Without the space, ")\n" matches " ?[^\s\p{L}\p{N}]+[\r\n]*" and is a single token.
        Assert.Equal(["Tech", ")\n", "2"], tailHead);
    }

    [Fact]
    public void UnknownOriginalIdsMapToUnknown()
    {
        var tok = Shared.Value;
        var ids = tok.Encode("Zebras quixotically juggle xylophones");
        Assert.Contains(tok.UnknownId, ids);
        Assert.Contains(CompactTokenizer.UnknownText, tok.Decode(ids));
        Assert.Equal(tok.UnknownId, tok.CompactId(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.OriginalId(tok.UnknownId));
    }

    [Fact]
    public void SaveLoadRoundTrips()
    {
        var tok = Shared.Value;
        var dir = Directory.CreateTempSubdirectory("classifsae-vocab-");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "vocab.json");
            tok.Save(path);
            var loaded = CompactTokenizer.Load(path);
            Assert.Equal(tok.EncodingName, loaded.EncodingName);
            Assert.Equal(tok.OriginalIds, loaded.OriginalIds);
            var full = Ag.Full(Texts[1], 1);
            Assert.Equal(tok.Encode(full), loaded.Encode(full));
            Assert.Single(Directory.GetFiles(Path.Combine(dir.FullName, "sub"))); // no temp file left behind

            File.WriteAllText(path, "{\"encoding\":\"cl100k_base\",\"originalIds\":[5,3]}");
            Assert.Contains("ascending", Assert.Throws<InvalidDataException>(() => CompactTokenizer.Load(path)).Message);
            File.WriteAllText(path, "{\"originalIds\":[1]}");
            Assert.Contains("encoding", Assert.Throws<InvalidDataException>(() => CompactTokenizer.Load(path)).Message);
        }
        finally { dir.Delete(recursive: true); }
    }
}
