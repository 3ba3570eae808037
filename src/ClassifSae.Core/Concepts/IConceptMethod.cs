
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

    /// <summary>The name tables and figures print (<c>ClassifSAE</c>, <c>SAE</c>, ...).</summary>
    string DisplayName { get; }

    /// <summary>Whether the method is a sparse autoencoder (the original draws the decoder-direction PCA figures for these only).</summary>
    bool IsSparseAutoencoder => false;

    /// <summary>Version of the saved folder's layout this build writes.</summary>
    int FormatVersion { get; }

    /// <summary>Layout versions <see cref="Load"/> reads; a folder with another version is refused with a message.</summary>
    IReadOnlyList<int> ReadableFormatVersions => [FormatVersion];

    /// <summary>Whether training needs the LLM's remaining block (<see cref="ConceptTrainingInput.LabelLogits"/>).</summary>
    bool NeedsBackboneTail { get; }

    /// <summary>
    /// Trains on <paramref name="input"/> with its <see cref="ConceptTrainingInput.Settings"/> (this method's settings
    /// record, bound from the profile by <see cref="ConceptMethods"/>) and writes the learned state into <paramref name="folder"/> (created if needed).</summary>
    IReadOnlyList<MetricRecord> Train(ConceptTrainingInput input, string folder);

    /// <summary>Reloads a folder written by <see cref="Train"/>.</summary>
    LoadedConcepts Load(string folder);
}
