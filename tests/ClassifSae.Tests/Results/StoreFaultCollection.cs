namespace ClassifSae.Tests.Results;

/// <summary>
/// Tests that set CLASSIFSAE_FAULT, a process-wide variable: they run alone, never next to another test that writes a store.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StoreFaultCollection
{
    public const string Name = "store faults (CLASSIFSAE_FAULT)";
}
