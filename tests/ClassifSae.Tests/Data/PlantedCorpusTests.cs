using System.Text.RegularExpressions;
using ClassifSae.Data;

namespace ClassifSae.Tests.Data;

public class PlantedCorpusTests
{
    private static readonly Lazy<TextDataset> Default = new(() => PlantedCorpus.Generate());

    private static IEnumerable<string> Words(string text) =>
        Regex.Matches(text.ToLowerInvariant(), "[a-z]+").Select(m => m.Value);

    [Fact]
    public void SameSeedGivesIdenticalCorpus()
    {
        var a = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 240, TestSize: 60, Seed: 7));
        var b = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 240, TestSize: 60, Seed: 7));
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
    }

    [Fact]
    public void DifferentSeedGivesDifferentCorpus()
    {
        var a = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 240, TestSize: 60, Seed: 7));
        var b = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 240, TestSize: 60, Seed: 8));
        Assert.NotEqual(a.Train.Select(e => e.Text), b.Train.Select(e => e.Text));
    }

    [Fact]
    public void FirstSentencesAreStableAcrossRuntimes()
    {
        // Pins the generator: a change here silently changes every cached smoke artefact.
        var d = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 12, TestSize: 12, Seed: 1));
        Assert.Equal(12, d.Train.Select(e => e.Text).Distinct().Count());
        Assert.Equal(
            "Late on Tuesday, aftershock searched for aftershock after the virus left thousands catastrophic, reports said on Friday.",
            d.Train[0].Text);
        Assert.Equal((0, 2), (d.Train[0].Label, d.Train[0].SubTopic));
    }

    [Fact]
    public void CountsAreBalancedPerClassAndSubTopic()
    {
        var d = Default.Value;
        Assert.Equal(["World", "Sports", "Business", "SciTech"], d.ClassNames);
        Assert.Equal(3000, d.Train.Count);
        Assert.Equal(600, d.Test.Count);
        foreach (var split in new[] { d.Train, d.Test })
        {
            var cells = split.GroupBy(e => (e.Label, e.SubTopic)).Select(g => g.Count()).ToArray();
            Assert.Equal(12, cells.Length);
            Assert.Single(cells.Distinct());
        }
    }

    [Fact]
    public void UnevenSizesDifferByAtMostOnePerClass()
    {
        var d = PlantedCorpus.Generate(new PlantedCorpusOptions(Classes: 3, SubTopicsPerClass: 2, TrainSize: 101, TestSize: 13));
        Assert.Equal(3, d.ClassCount);
        foreach (var split in new[] { d.Train, d.Test })
        {
            var perClass = split.GroupBy(e => e.Label).Select(g => g.Count()).ToArray();
            Assert.True(perClass.Max() - perClass.Min() <= 1);
            var perCell = split.GroupBy(e => (e.Label, e.SubTopic)).Select(g => g.Count()).ToArray();
            Assert.Equal(6, perCell.Length);
            Assert.True(perCell.Max() - perCell.Min() <= 1);
            Assert.All(split, e => Assert.InRange(e.SubTopic, 0, 1));
        }
        Assert.Equal(101, d.Train.Count);
    }

    [Fact]
    public void IndicesFollowSplitOrderAndClassesAreShuffled()
    {
        var d = Default.Value;
        Assert.Equal(Enumerable.Range(0, d.Train.Count), d.Train.Select(e => e.Index));
        Assert.Equal(Enumerable.Range(0, d.Test.Count), d.Test.Select(e => e.Index));
        Assert.True(d.Train.Take(20).Select(e => e.Label).Distinct().Count() > 1);
    }

    [Fact]
    public void SplitsAreDisjointAndSentencesUnique()
    {
        var d = Default.Value;
        var all = d.Train.Concat(d.Test).Select(e => e.Text).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void SentenceLengthsAreTenToTwentyFiveWords()
    {
        foreach (var e in Default.Value.Train.Concat(Default.Value.Test))
            Assert.InRange(e.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, 10, 25);
    }

    [Fact]
    public void SubTopicVocabulariesAreDistinct()
    {
        var own = new List<(string Name, IReadOnlySet<string> Words)>();
        for (var c = 0; c < 4; c++)
            for (var s = 0; s < 3; s++)
            {
                var w = PlantedCorpus.OwnWords(c, s);
                Assert.True(w.Count >= 12, PlantedCorpus.SubTopicName(c, s));
                own.Add((PlantedCorpus.SubTopicName(c, s), w));
            }
        for (var i = 0; i < own.Count; i++)
            for (var j = i + 1; j < own.Count; j++)
                Assert.False(own[i].Words.Overlaps(own[j].Words), $"{own[i].Name} and {own[j].Name} share own words");
    }

    [Fact]
    public void OwnWordsOnlyAppearInTheirSubTopic()
    {
        var d = Default.Value;
        var owner = new Dictionary<string, (int, int)>();
        for (var c = 0; c < 4; c++)
            for (var s = 0; s < 3; s++)
                foreach (var w in PlantedCorpus.OwnWords(c, s))
                    owner[w] = (c, s);
        foreach (var e in d.Train.Concat(d.Test))
        {
            var hits = Words(e.Text).Where(owner.ContainsKey).ToList();
            Assert.NotEmpty(hits);
            Assert.All(hits, w => Assert.Equal((e.Label, e.SubTopic), owner[w]));
        }
    }

    [Fact]
    public void SomeWordsAreSharedAcrossClasses()
    {
        var d = Default.Value;
        var classesPerWord = d.Train.SelectMany(e => Words(e.Text).Select(w => (w, e.Label)))
            .GroupBy(x => x.w).ToDictionary(g => g.Key, g => g.Select(x => x.Label).Distinct().Count());
        foreach (var cross in PlantedVocabulary.Classes.SelectMany(c => c.SubTopics).SelectMany(s => s.CrossWords).Distinct())
            Assert.True(classesPerWord.GetValueOrDefault(cross) >= 2, $"cross word '{cross}' occurs in fewer than 2 classes");
        foreach (var c in PlantedVocabulary.Classes)
            foreach (var shared in c.SharedWords)
                Assert.True(classesPerWord.ContainsKey(shared), $"class word '{shared}' never used");
    }

    [Fact]
    public void SubTopicNamesAreReadable()
    {
        Assert.Equal("Sports/tennis", PlantedCorpus.SubTopicName(1, 1));
        Assert.Equal("World/diplomacy", PlantedCorpus.SubTopicName(0, 0));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlantedCorpus.Generate(new PlantedCorpusOptions(Classes: 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlantedCorpus.Generate(new PlantedCorpusOptions(SubTopicsPerClass: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlantedCorpus.Generate(new PlantedCorpusOptions(TestSize: 11)));
    }
}
