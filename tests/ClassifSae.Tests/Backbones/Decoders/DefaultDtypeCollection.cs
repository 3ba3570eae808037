namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// Tests that load a model in bfloat16/float16 through <see cref="ClassifSae.Backbones.ComputeDtype.Build{T}"/>, which
/// switches libtorch's process-wide default dtype while the model is built: they run alone, never next to a test that
/// creates tensors with the default dtype (a parallel test once got a bfloat16 tensor and crashed the test host).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultDtypeCollection
{
    public const string Name = "half-precision builds (process-wide default dtype)";
}
