using ClassifSae.Evaluation.Interpretability;

namespace ClassifSae.Tests.Evaluation;

/// <summary>
/// The TF-IDF of upstream's concept keywords (spec 04 §6.5) against scikit-learn 1.2.1's
/// <c>TfidfVectorizer(tokenizer=str.split, preprocessor=identity, lowercase=False, min_df=2, sublinear_tf=True)</c> on a tiny
/// corpus: three concept documents and the whole-corpus document. Golden values printed by sklearn (%.17g).
/// </summary>
public sealed class TfIdfKeywordsTests
{
    private static readonly string[][] Docs =
    [
        "goal match goal team win".Split(' '),
        "market stock price stock stock".Split(' '),
        "team market goal".Split(' '),
        "goal match goal team win market stock price stock stock team market goal weather rain goal".Split(' '),
    ];

    [Fact]
    public void The_weights_are_sklearns()
    {
        var (terms, w) = TfIdfKeywords.Fit(Docs);
        // "weather" and "rain" are in one document only: min_df = 2 drops them.
        Assert.Equal(["goal", "market", "match", "price", "stock", "team", "win"], terms);
        double[][] golden =
        [
            [0.64372262775622913, 0, 0.46961393527713835, 0, 0, 0.38019295377696682, 0.46961393527713835],
            [0, 0.32888267060857551, 0, 0.40623552765670662, 0.85253087043393816, 0, 0],
            [0.57735026918962573, 0.57735026918962573, 0, 0, 0, 0.57735026918962573, 0],
            [0.50058315124527908, 0.35517870928924117, 0.25911295362936881, 0.25911295362936881, 0.54377762863968337, 0.35517870928924117, 0.25911295362936881],
        ];
        for (var d = 0; d < golden.Length; d++)
            for (var t = 0; t < terms.Count; t++)
                Assert.True(Math.Abs(golden[d][t] - w[d][t]) < 1e-12, $"doc {d} term {terms[t]}: {w[d][t]:R} vs {golden[d][t]:R}");
    }

    [Fact]
    public void Concept_keywords_are_the_top_terms_rounded_to_four_decimals()
    {
        var k = TfIdfKeywords.ForConcepts(Docs[..3], Docs[3], top: 3);
        // doc 0: goal 0.6437, then match and win tie at 0.4696 (term order), team 0.3802 cut by top = 3.
        Assert.Equal([("goal", 0.6437), ("match", 0.4696), ("win", 0.4696)], k[0].Select(x => (x.Term, x.Score)));
        Assert.Equal([("stock", 0.8525), ("price", 0.4062), ("market", 0.3289)], k[1].Select(x => (x.Term, x.Score)));
        // Zero weights are not keywords; a word in no other document (min_df) neither.
        Assert.Equal(3, k[2].Count);
        Assert.Empty(TfIdfKeywords.ForConcepts([["hail"]], Docs[3])[0]);
    }

    [Fact]
    public void Clean_tokens_are_lowercase_words_of_three_letters_without_function_words() =>
        // "the", "won" (won't), "it", "s", "at" and the digits go; "@user" and "&amp;" leave their letters.
        Assert.Equal(["user", "goal", "match", "amp"], KeywordTokens.Of("@user The GOAL won the match!!! &amp; it's 2-1 at 90'"));
}
