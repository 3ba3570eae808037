using ClassifSae.FineTuning;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using ClassifSae.Settings;
using ClassifSae.Text;

namespace ClassifSae.Tests.Text;

/// <summary>fine_tune.vocab_limit keeps the label digits and the corpus's most frequent tokens; the rest read as unknown (issue 18, item 8).</summary>
public class VocabularyCapTests
{
    // " cat" ×2, " dog" ×2, "cat" ×1, " fish" ×1: six occurrences of four tokens, no digit among them.
    private static readonly string[] Corpus = ["cat cat cat dog dog fish"];

    [Fact]
    public void The_cap_keeps_exactly_the_most_frequent_tokens_and_the_label_digits()
    {
        var tok = CompactTokenizer.BaseTokenizer();
        Assert.Equal(6, tok.EncodeToIds(Corpus[0]).Count);
        // pad + unknown + 10 digits + the two most frequent tokens.
        var (capped, cap) = CompactTokenizer.BuildCapped(Corpus, CompactTokenizer.DefaultEncoding, vocabLimit: 14);
        Assert.Equal(14, capped.VocabSize);
        Assert.Equal((16, 14, 2L, 6L), (cap.CorpusVocabSize, cap.KeptVocabSize, cap.UnknownOccurrences, cap.TotalOccurrences));
        Assert.Equal(1.0 / 3, cap.UnknownShare, 12);
        Assert.True(cap.Capped);
        Assert.Equal(" cat dog" + CompactTokenizer.UnknownText, capped.Decode(capped.Encode(" cat dog fish")));
        Assert.Equal(CompactTokenizer.UnknownText + " dog", capped.Decode(capped.Encode("cat dog")));
        for (var c = 0; c < 10; c++) Assert.NotEqual(capped.UnknownId, capped.LabelTokenId(c));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(1000)]
    public void No_limit_or_a_limit_above_the_size_changes_nothing(int limit)
    {
        var (tokenizer, cap) = CompactTokenizer.BuildCapped(Corpus, CompactTokenizer.DefaultEncoding, limit);
        Assert.False(cap.Capped);
        Assert.Equal(CompactTokenizer.Build(Corpus).OriginalIds, tokenizer.OriginalIds);
        Assert.Equal(16, tokenizer.VocabSize);
    }

    [Fact]
    public void A_limit_below_pad_unknown_and_digits_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactTokenizer.BuildCapped(Corpus, CompactTokenizer.DefaultEncoding, vocabLimit: 11));
        var check = new SettingsCheck();
        new FineTuneOptions { VocabLimit = 5 }.Check(check);
        Assert.Equal(["fine_tune.vocab_limit = 5 must be 0 (no limit) or at least 12 (pad, unknown and the label digits)"], check.Problems);
    }

    /// <summary>The smoke run's planted corpus stays below the default limit, so its tokenizer and numbers are unchanged.</summary>
    [Fact]
    public void The_smoke_corpus_is_below_the_default_limit()
    {
        var profile = ProfileLoader.Load("smoke", RepoPaths.Profiles).For("tiny-neox", "planted");
        Assert.Equal(FineTuneOptions.DefaultVocabLimit, profile.FineTune.VocabLimit);
        var ctx = new RunContext { Profile = profile, RunsDir = "unused", StorePath = "unused", Device = TorchSharp.torch.CPU, DeviceName = "cpu", Threads = 1 };
        var dataset = FineTuneStage.LoadDataset(ctx, "planted");
        var template = PromptEncoding.Template(dataset, profile.Datasets["planted"]);
        var texts = dataset.Train.Concat(dataset.Test).Select(e => e.Text).ToList();
        var (tokenizer, cap) = CompactTokenizer.BuildCapped(texts, template, profile.Datasets["planted"].Tokenizer, profile.FineTune.VocabLimit);
        Assert.False(cap.Capped);
        Assert.True(tokenizer.VocabSize < FineTuneOptions.DefaultVocabLimit, $"smoke vocabulary {tokenizer.VocabSize}");
        Assert.Equal(CompactTokenizer.Build(texts, template, profile.Datasets["planted"].Tokenizer).OriginalIds, tokenizer.OriginalIds);
    }

    [Fact]
    public void The_pretrain_cost_is_the_logits_size_and_the_output_layers_share()
    {
        // The e-mail corpus of issue 18: 35 465 tokens, batch 32 × 128 positions, a 64-wide 2-layer model.
        var mail = new PretrainCost(35_465, 32, 128, 64, 2);
        Assert.Equal(581_058_560L, mail.LogitsBytes);
        Assert.Equal(35_465 / 1536.0, mail.RelativeWork, 12);
        Assert.True(mail.IsLarge);
        Assert.Contains("logits 554 MiB", mail.Describe());
        Assert.Contains("≈ 23.09× the work of the 2 blocks", mail.Describe());
        // The smoke model's size: a few hundred tokens, 128 wide, 3 layers.
        var smoke = new PretrainCost(600, 32, 64, 128, 3);
        Assert.False(smoke.IsLarge);
        Assert.Equal(32L * 64 * 600 * 4, smoke.LogitsBytes);
    }
}
