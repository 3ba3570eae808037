using ClassifSae.Text;

namespace ClassifSae.Tests.Text;

public class PromptTemplateTests
{
    private const string AgText = "Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, are seeing green again.";

    [Fact]
    public void AgNewsFullPromptMatchesSpecLiteral()
    {
        var full = PromptTemplate.AgNews().Full(AgText, 2);
        Assert.Equal(AgText + "\n\nOPTIONS:\n0(World)\n1(Sports)\n2(Business)\n3(SciTech) \n2", full);
    }

    [Fact]
    public void ImdbFullPromptMatchesSpecLiteral()
    {
        Assert.Equal("<review text>\n\nOPTIONS:\n0(negative)\n1(positive) \n1", PromptTemplate.Imdb().Full("<review text>", 1));
    }

    [Fact]
    public void HeadVariantDropsSpaceBeforeFinalNewline()
    {
        Assert.Equal("t\n\nOPTIONS:\n0(negative)\n1(positive)\n0", PromptTemplate.Imdb(spaceBeforeFinalNewline: false).Full("t", 0));
        Assert.Equal(54, PromptTemplate.AgNews(false).FullSuffixLength);
    }

    [Fact]
    public void SuffixLengthsMatchSpec()
    {
        Assert.Equal(55, PromptTemplate.AgNews().FullSuffixLength);
        Assert.Equal(37, PromptTemplate.Imdb().FullSuffixLength);
        var t = PromptTemplate.AgNews();
        Assert.Equal(55, t.Full(AgText, 3).Length - AgText.Length);
    }

    [Fact]
    public void StripFullRecoversText()
    {
        var t = PromptTemplate.AgNews();
        Assert.Equal(AgText, t.StripFull(t.Full(AgText, 1)));
        Assert.Equal("", t.StripFull(t.Full("", 0)));
        Assert.Throws<ArgumentException>(() => t.StripFull(PromptTemplate.Imdb().Full(AgText, 1)));
        Assert.Throws<ArgumentException>(() => t.StripFull("short"));
    }

    [Fact]
    public void PromptIsFullWithoutDigit()
    {
        var t = PromptTemplate.AgNews();
        Assert.Equal(t.Full("x", 3)[..^1], t.Prompt("x"));
    }

    [Fact]
    public void LabelStringsAreDigits()
    {
        Assert.Equal(["0", "1", "2", "3"], PromptTemplate.AgNews().LabelStrings);
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptTemplate.AgNews().Full("x", 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptTemplate.LabelString(10));
    }
}
