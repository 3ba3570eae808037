namespace ClassifSae.Evaluation.Interpretability;

/// <summary>How a concept's activating set is chosen and how concepts without pairs enter the unweighted ConceptSim.</summary>
public enum ActivatingSetRule
{
    /// <summary>The paper's (spec 02 §6.4): the higher-mean component of a 2-component Gaussian mixture; concepts with fewer than two active sentences are left out of both ConceptSims.</summary>
    GaussianMixture,
    /// <summary>Upstream's (spec 04 §6.4.3-4): strictly above a 2-class Jenks break; such concepts count as 0 in the unweighted ConceptSim.</summary>
    Jenks,
}
