using ClassifSae.Pipeline;

namespace ClassifSae.Concepts;

/// <summary>
/// A concept-extraction method the Train and Evaluate stages treat alike (ClassifSAE and the paper's three
/// baselines): trained on the cached train split into its own folder (with a <c>method.json</c>), reloaded from
/// that folder as a concept bottleneck plus its z_class candidates.
/// </summary>
public interface IConceptMethod
{
    /// <summary>Registry key, folder name and the results store's <c>method</c> column.</summary>
    string Key { get; }

    /// <summary>Version of the saved folder's layout; a folder with another version is refused on load.</summary>
    int FormatVersion { get; }

    /// <summary>Whether training needs the LLM's remaining block (<see cref="ConceptTrainingInput.LabelLogits"/>).</summary>
    bool NeedsBackboneTail { get; }

    /// <summary>The part of the profile that determines what this method trains (hashed to decide whether a saved folder is current).</summary>
    object Settings(Profile profile);

    /// <summary>Trains on <paramref name="input"/> and writes the learned state into <paramref name="folder"/> (created if needed).</summary>
    IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder);

    /// <summary>Reloads a folder written by <see cref="Train"/>.</summary>
    LoadedConcepts Load(string folder);
}
