using ClassifSae.Pipeline;
using ClassifSae.Runtime;
using ClassifSae.SentenceEncoders;
using ClassifSae.SentenceEncoders.MiniLm;

namespace ClassifSae.Tests.SentenceEncoders;

public sealed class SentenceEncoderFactoryTests : IDisposable
{
    private readonly ClassifSae.Tests.Results.TempFolder _temp = new();
    private string Dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Training = ["the goal won the match", "the market fell", "a goal and a match", "stocks and the market"];

    [Fact]
    public void Builtin_is_the_tfidf_svd_encoder_fitted_on_the_training_texts()
    {
        using var encoder = SentenceEncoderFactory.Create(SentenceEncoderFactory.Builtin, Training, SilentProgress.Instance, seed: 1);
        Assert.IsType<TfidfSvdEncoder>(encoder);
        Assert.StartsWith("builtin:tfidf-svd-", encoder.Name);
    }

    [Fact]
    public void A_sentence_transformers_folder_gives_the_minilm_encoder_named_after_it()
    {
        var folder = TinyBertFolder.Create(Path.Combine(Dir, "tiny-minilm"));
        using var encoder = SentenceEncoderFactory.Create(folder, Training, SilentProgress.Instance, seed: 1);
        Assert.IsType<MiniLmEncoder>(encoder);
        Assert.Equal("tiny-minilm", encoder.Name);
    }

    [Fact]
    public void A_missing_encoder_is_a_one_line_error_naming_the_profile_key()
    {
        var e = Assert.Throws<UserError>(() => SentenceEncoderFactory.Create(Path.Combine(Dir, "nowhere"), Training, SilentProgress.Instance, seed: 1));
        Assert.StartsWith("evaluate.sentence_encoder", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
