using ClassifSae.Data;
using ClassifSae.Text;
using Xunit.Abstractions;

namespace ClassifSae.Tests.Text;

/// <summary>The smoke-run combination: planted corpus + paper template + compact cl100k vocabulary.</summary>
public class PlantedCorpusTokenizationTests(ITestOutputHelper output)
{
    [Fact]
    public void CompactVocabularyCoversCorpusAndDecisionTokenIsConstant()
    {
        var d = PlantedCorpus.Generate(new PlantedCorpusOptions(TrainSize: 600, TestSize: 120));
        var template = new PromptTemplate(d.ClassNames);
        var all = d.Train.Concat(d.Test).ToList();
        var tok = CompactTokenizer.Build(all.Select(e => e.Text), template);
        output.WriteLine($"compact vocab size {tok.VocabSize}");
        Assert.InRange(tok.VocabSize, 50, 1000);

        var seqs = all.Select(e => (IReadOnlyList<int>)tok.Encode(template.Full(e.Text, e.Label))).ToList();
        var decisionTokens = seqs.Select(s => s[PromptBatch.DecisionIndex(s)]).Distinct().ToList();
        Assert.Equal(" \n", tok.Decode(decisionTokens));
        Assert.All(seqs, s => Assert.DoesNotContain(tok.UnknownId, s));
        Assert.True(seqs.Max(s => s.Count) <= 64, $"longest prompt {seqs.Max(s => s.Count)} tokens");

        var batch = PromptBatch.Create(seqs.Take(8).ToList(), tok.PadId);
        for (var r = 0; r < batch.BatchSize; r++)
            Assert.Equal(tok.LabelTokenId(all[r].Label), batch.InputIds[r * batch.Length + batch.LabelColumn]);
        output.WriteLine($"longest prompt {seqs.Max(s => s.Count)} tokens");
    }
}
