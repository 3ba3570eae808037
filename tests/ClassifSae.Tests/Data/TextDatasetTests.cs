using ClassifSae.Data;

namespace ClassifSae.Tests.Data;

public class TextDatasetTests
{
    private static readonly string[] Names = ["neg", "pos"];
    private static readonly TextExample[] Good = [new(0, "fine text", 0), new(1, "more text", 1)];

    private static string Error(TextDataset d) => Assert.Throws<InvalidDataException>(() => d.Validate()).Message;

    [Fact]
    public void ValidDatasetPasses() => new TextDataset("d", Names, Good, Good).Validate();

    [Fact]
    public void EmptySplitIsReported() =>
        Assert.Equal("Dataset 'd': test split is empty.", Error(new TextDataset("d", Names, Good, [])));

    [Fact]
    public void LabelOutsideClassListIsReported() =>
        Assert.Equal("Dataset 'd': train example 1 has label 2, outside the class list 0..1.",
            Error(new TextDataset("d", Names, [Good[0], new(1, "x", 2)], Good)));

    [Fact]
    public void NegativeLabelIsReported() =>
        Assert.Contains("label -1", Error(new TextDataset("d", Names, [new(0, "x", -1)], Good)));

    [Fact]
    public void AClassMissingFromASplitIsReported() =>
        Assert.Equal("Dataset 'd': test split has no example of class 1 (pos); counts per class: 2, 0.",
            Error(new TextDataset("d", Names, Good, [new(0, "a", 0), new(1, "b", 0)])));

    [Fact]
    public void EmptyTextIsReported() =>
        Assert.Equal("Dataset 'd': test example 0 has empty text.", Error(new TextDataset("d", Names, Good, [new(0, "  ", 1)])));

    [Fact]
    public void MessagesAreOneLine()
    {
        var m = Error(new TextDataset("d", Names, Good, []));
        Assert.DoesNotContain('\n', m);
    }

    [Fact]
    public void SubTopicDefaultsToUnknown() => Assert.Equal(-1, new TextExample(0, "t", 0).SubTopic);
}
