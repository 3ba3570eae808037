using ClassifSae.Evaluation.Interpretability;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>Upstream's concept cards (spec 04 §6.5): activation rate, ConceptSim, TF-IDF keywords and top activating sentences.</summary>
public sealed class ConceptCardsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Texts =
    [
        "Goal scored in the match", "Stock market falls", "Team wins the match with a late goal", "Market prices of stock rise",
        "Weather is sunny", "Goal goal team",
    ];

    [Fact]
    public void A_card_lists_the_active_top_sentences_by_activation_and_the_keywords_of_the_active_set()
    {
        // Concept 7 is active on sentences 0, 2, 5 (its Jenks set); sentence 4 has a high activation but is not in the set.
        double[] column = [0.9, 0.0, 0.5, 0.1, 0.95, 0.7];
        var cards = ConceptCards.Build([7], [column], [[0, 2, 5]], ["Sports"], [0.123456], Texts);
        var c = Assert.Single(cards);
        Assert.Equal(0.5, c.ActivationRate);
        Assert.Equal(["Goal scored in the match", "Goal goal team", "Team wins the match with a late goal"], c.Top.Select(s => s.Text));
        Assert.Equal("Concept_7_Category_Sports", c.FileStem);
        // Keywords: only terms in at least two documents (the concept's and the corpus'), i.e. every token of the active sentences;
        // goal (3 times in the concept document) leads.
        Assert.Equal("goal", c.Keywords[0].Term);
        Assert.DoesNotContain(c.Keywords, k => k.Term is "stock" or "weather" or "the");
        Assert.Equal(["goal", "match", "team", "late", "scored", "wins"], c.Keywords.Select(k => k.Term));
    }

    [Fact]
    public void The_card_text_is_upstreams_layout()
    {
        var card = new ConceptCards.Card(3, "Sci/Tech", 0.0625, 0.5, [new("chip", 0.75), new("intel", 1.0)],
            [new("Intel ships a chip\n", 2.5), new("AMD chip", 1.25)]);
        Assert.Equal(
            "Activation rate of the concept : 0.0625\n\nConceptSim value for the concept : 0.5000\n\nKeywords associated to the concept:\n\n" +
            "  chip: 0.75\n  intel: 1.0\n\nTop activating sentences:\n\n\nIntel ships a chip\n\t2.5000\n\nAMD chip\t1.2500\n",
            ConceptCards.Text(card));
        Assert.Equal("Concept_3_Category_Sci_Tech", card.FileStem);
    }

    [Fact]
    public void Cards_are_written_as_text_files_and_read_back_from_the_keywords_file()
    {
        var cards = ConceptCards.Build([1, 4], [[1, 0, 1, 0, 0, 1], [0, 1, 0, 1, 0, 0]], [[0, 2, 5], [1, 3]], ["Sports", "Business"], [0.5, null], Texts);
        Directory.CreateDirectory(Path.Combine(_dir, ConceptCards.CardsFolder, "stale"));
        ConceptCards.Write(_dir, cards);
        Assert.Equal(["Concept_1_Category_Sports.txt", "Concept_4_Category_Business.txt"],
            Directory.GetFileSystemEntries(Path.Combine(_dir, ConceptCards.CardsFolder)).Select(Path.GetFileName).Order());
        var back = ConceptCards.Read(Path.Combine(_dir, ConceptCards.KeywordsFile));
        Assert.Equal(cards.Select(ConceptCards.Text), back.Select(ConceptCards.Text));
        Assert.Equal(0, back[1].ConceptSim);
    }
}
