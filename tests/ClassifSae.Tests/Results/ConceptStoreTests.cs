using ClassifSae.Results;

namespace ClassifSae.Tests.Results;

public class ConceptStoreTests
{
    [Fact]
    public void ReplacingConceptsKeepsOnlyTheNewRowsOfThatRunAndMethod()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        store.RecordRun(SampleRecords.Run("r1"));
        store.RecordRun(SampleRecords.Run("r2"));
        ConceptRecord C(string run, int j) => new(run, "classifsae", j, 4, true, j % 2, "class", 0, 12.5, "src", 0.5, 1, 2);
        TopSentenceRecord S(string run, int j, int rank) => new(run, "classifsae", j, rank, rank * 10, 1.0 / rank, $"sentence {rank}", 1, 2);
        store.ReplaceConcepts("r1", "classifsae", [C("r1", 0), C("r1", 1)], [S("r1", 0, 1), S("r1", 0, 2)]);
        store.ReplaceConcepts("r2", "classifsae", [C("r2", 0)], [S("r2", 0, 1)]);
        store.ReplaceConcepts("r1", "classifsae", [C("r1", 3)], [S("r1", 3, 1)]);

        Assert.Equal("r1,3\nr2,0\n", string.Concat(store.Query("SELECT run_id, concept FROM concepts ORDER BY run_id, concept").Rows.Select(r => $"{r[0]},{r[1]}\n")));
        Assert.Equal(2L, Convert.ToInt64(store.Query("SELECT count(*) FROM top_sentences").Rows[0][0]));
    }

    [Fact]
    public void AFailedReplaceLeavesTheOldRows()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        store.RecordRun(SampleRecords.Run("r1"));
        store.ReplaceConcepts("r1", "sae", [new ConceptRecord("r1", "sae", 0, 1, true)], []);
        // Two rows with the same key violate the primary key half-way through: nothing of the replacement is kept.
        Assert.ThrowsAny<Exception>(() => store.ReplaceConcepts("r1", "sae",
            [new ConceptRecord("r1", "sae", 5, 1, true), new ConceptRecord("r1", "sae", 5, 1, true)], []));
        Assert.Equal(0, Convert.ToInt32(store.Query("SELECT concept FROM concepts").Rows.Single()[0]));
    }

    [Fact]
    public void ConceptsOfAnUnrecordedRunAreRefused()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        Assert.Throws<InvalidOperationException>(() => store.ReplaceConcepts("nope", "sae", [new ConceptRecord("nope", "sae", 0, 1, true)], []));
        Assert.Throws<InvalidOperationException>(() => store.ReplaceArtefacts("nope", "train", []));
    }

    [Fact]
    public void NaNIsStoredAsUnknown()
    {
        using var dir = new TempFolder();
        using var store = ResultsStore.Open(dir.File("results.duckdb"));
        store.RecordRun(SampleRecords.Run("r1"));
        store.ReplaceConcepts("r1", "sae", [new ConceptRecord("r1", "sae", 0, 1, true, SubtopicPurity: double.NaN)], []);
        Assert.Null(store.Query("SELECT subtopic_purity FROM concepts").Rows.Single()[0]);
    }
}
