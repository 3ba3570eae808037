using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;

namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// <c>models.&lt;m&gt;.compute_dtype</c>: the dtype Cache and Evaluate load and run the fine-tuned backbone in (float32 unless set).
/// It enters those stages through the run context's dtype (their compute identity and provenance); FineTune and Train
/// compute in float32 (FineTune in <c>fine_tune.precision</c>) and do not depend on it.
/// </summary>
public static class InferenceDtype
{
    public const string Key = "compute_dtype";

    public static string Name(RunContext ctx, PipelineKey key) =>
        ctx.Profile.Models.TryGetValue(key.Model, out var m) && m.ComputeDtype is { } name ? name : ComputeDtype.Float32;

    /// <summary>The cell's context computing in the model's compute dtype.</summary>
    public static RunContext For(RunContext ctx, PipelineKey key) => ctx with { Dtype = Name(ctx, key) };

    /// <summary>The fine-tuned backbone in the compute dtype; a family that computes in float32 only is a one-line error naming the key.</summary>
    public static IClassifierBackbone Load(RunContext ctx, PipelineKey key, FineTuneArtifacts ft)
    {
        var name = Name(ctx, key);
        var dtype = ComputeDtype.Parse(name);
        if (dtype != TorchSharp.torch.ScalarType.Float32 && !BackboneRegistry.LoadsHalfPrecision(ft.ModelDir))
            throw new UserError($"models.{key.Model}.{Key} = '{name}': a {ft.ModelShape().Family} backbone computes in float32 only " +
                                $"(bfloat16/float16: {string.Join(", ", BackboneRegistry.HalfPrecisionFamilies)})");
        return BackboneRegistry.Load(ft.ModelDir, dtype);
    }
}
