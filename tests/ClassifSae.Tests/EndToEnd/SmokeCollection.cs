namespace ClassifSae.Tests.EndToEnd;

/// <summary>One smoke run shared by every test class that needs it (the local run the Slurm run is compared with).</summary>
[CollectionDefinition(Name)]
public sealed class SmokeCollection : ICollectionFixture<SmokeRun>
{
    public const string Name = "smoke run";
}
