using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Pipeline;

/// <summary><c>--set section.key=value</c>: written into the profile before it is parsed, so it is checked like the file.</summary>
public sealed class ProfileSetTests
{
    [Fact]
    public void A_set_key_changes_the_profile_and_keeps_the_others()
    {
        var plain = ProfileLoader.Load("smoke", RepoPaths.Profiles);
        var set = ProfileLoader.Load("smoke", RepoPaths.Profiles, ["classif_sae.k=20", "evaluate.top_sentences=3", "description=\"from the CLI\""]);
        Assert.Equal(10, plain.Settings<ClassifSaeSettings>().K);
        Assert.Equal(20, set.Settings<ClassifSaeSettings>().K);
        Assert.Equal(3, set.Evaluate.TopSentences);
        Assert.Equal("from the CLI", set.Description);
        Assert.Equal(plain.Settings<ClassifSaeSettings>().NConcepts, set.Settings<ClassifSaeSettings>().NConcepts);
        Assert.Equal(plain.FineTune.Steps, set.FineTune.Steps);
    }

    [Theory]
    [InlineData("classif_sae.k=300", "classif_sae.k = 300 must be in [1, d_sae = ")]
    [InlineData("classif_sae.kk=3", "kk")]
    [InlineData("classif_sae.k=many", "classif_sae.k")]
    [InlineData("classif_sae", "expected section.key=value")]
    [InlineData("seed.x=1", "'seed' is not a section")]
    public void A_bad_set_is_one_line_naming_the_key(string set, string expected)
    {
        var e = Assert.Throws<UserError>(() => ProfileLoader.Load("smoke", RepoPaths.Profiles, [set]));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
