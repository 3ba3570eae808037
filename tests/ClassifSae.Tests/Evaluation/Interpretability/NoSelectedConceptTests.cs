using ClassifSae.Evaluation.Interpretability;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Evaluation.Interpretability;

/// <summary>
/// A method whose concepts are all dead (seen with ConceptSHAP v2 on a short upstream-2026 smoke run) selects none: the activating
/// sets and the concept cards are empty instead of a crash in the Evaluate stage.
/// </summary>
public sealed class NoSelectedConceptTests
{
    [Fact]
    public void No_selected_concept_gives_no_activating_set()
    {
        using var a = rand(12, 5);
        Assert.Empty(JenksActivatingSets.Compute(a, []));
        Assert.Empty(ActiveSets.Compute(a, []));
        Assert.Empty(ConceptCards.Build([], [], [], [], [], ["a text", "another"]));
    }
}
