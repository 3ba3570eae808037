using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Concepts;

/// <summary>The probe's folds against the rows it gets: refused as scikit-learn's StratifiedKFold refuses them, naming the key.</summary>
public class ProbeFoldsCheckTests
{
    [Theory]
    [InlineData(new long[] { 0, 1 }, 3)]                 // fewer rows than folds
    [InlineData(new long[] { 0, 0, 1, 1, 2, 2 }, 3)]     // every class smaller than the folds
    public void Too_few_rows_for_the_folds_is_a_one_line_error_naming_the_key(long[] labels, int folds)
    {
        var e = Assert.Throws<UserError>(() => PlainSaeMethod.RequireEnoughRowsForFolds(labels, folds, "the evaluated split"));
        Assert.StartsWith($"sae.logistic_folds = {folds} needs at least {folds} rows of some class in the evaluated split", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void One_class_with_enough_rows_is_enough_as_for_scikit_learn()
    {
        PlainSaeMethod.RequireEnoughRowsForFolds([0, 0, 0, 1, 2], 3, "the evaluated split");
    }
}
