using static TorchSharp.torch;

namespace ClassifSae.Concepts;

/// <summary>z_class candidates in their order (before the dead filter) and what choosing them measured.</summary>
public sealed record ConceptCandidates(IReadOnlyList<int> Indices, IReadOnlyList<(string Metric, double Value)> Diagnostics)
{
    public static ConceptCandidates Fixed(IEnumerable<int> indices) => new(indices.ToArray(), []);
}

/// <summary>A reloaded method: its bottleneck, how many concepts it reports and how it picks z_class (spec 02 §3.2).</summary>
public abstract class LoadedConcepts : IDisposable
{
    public abstract string Key { get; }
    public abstract IConceptBottleneck Bottleneck { get; }

    /// <summary>The n_concepts of the results path <c>&lt;method&gt;/&lt;n_concepts&gt;/test</c>.</summary>
    public abstract int NConcepts { get; }

    /// <summary>Candidates given the evaluated split's unmasked activations [N, F] and true labels (the SAE probe uses them).</summary>
    public abstract ConceptCandidates Candidates(Tensor activations, IReadOnlyList<long> trueLabels, int classes);

    public abstract void Dispose();
}

/// <summary>A reloaded method whose z_class is simply its first <c>n</c> concepts (ClassifSAE's head inputs, all ICA components, all ConceptSHAP concepts).</summary>
public sealed class FirstConcepts(string key, IConceptBottleneck bottleneck, int nConcepts, IDisposable owner) : LoadedConcepts
{
    public override string Key => key;
    public override IConceptBottleneck Bottleneck => bottleneck;
    public override int NConcepts => nConcepts;
    public override ConceptCandidates Candidates(Tensor activations, IReadOnlyList<long> trueLabels, int classes) =>
        ConceptCandidates.Fixed(Enumerable.Range(0, nConcepts));
    public override void Dispose() => owner.Dispose();
}
