using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// The dtype a backbone is loaded and run in for inference (the pipeline's <c>models.&lt;m&gt;.compute_dtype</c>):
/// float32, or bfloat16/float16 whose weights load tensor by tensor into half-precision parameters (no float32 model).
/// </summary>
public static class ComputeDtype
{
    public const string Float32 = "float32";
    public const string BFloat16 = "bfloat16";
    public const string Float16 = "float16";
    public static readonly string[] Names = [Float32, BFloat16, Float16];

    public static ScalarType Parse(string name) => name switch
    {
        Float32 => ScalarType.Float32,
        BFloat16 => ScalarType.BFloat16,
        Float16 => ScalarType.Float16,
        _ => throw new ArgumentException($"compute dtype '{name}' is not one of {string.Join(", ", Names)}", nameof(name)),
    };

    public static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => Float32,
        ScalarType.BFloat16 => BFloat16,
        ScalarType.Float16 => Float16,
        _ => throw new ArgumentException($"{dtype} is not a compute dtype ({string.Join(", ", Names)})", nameof(dtype)),
    };

    /// <summary>The dtype of <paramref name="backbone"/>'s parameters.</summary>
    public static ScalarType Of(IClassifierBackbone backbone) => backbone.Module.parameters().First().dtype;

    /// <summary>
    /// A module built with its parameters created in <paramref name="dtype"/> (torch's default dtype while
    /// <paramref name="create"/> runs), so a half-precision model never exists in float32. libtorch's default dtype is
    /// process-wide: no other thread may create tensors with the default dtype meanwhile (the pipeline's stages run one
    /// at a time; the tests that build half-precision models run in their own non-parallel collection).
    /// </summary>
    public static T Build<T>(Func<T> create, ScalarType dtype)
    {
        if (dtype == ScalarType.Float32) return create();
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16)) throw new ArgumentException($"a backbone computes in float32, bfloat16 or float16, not {dtype}", nameof(dtype));
        var previous = get_default_dtype();
        set_default_dtype(dtype);
        try { return create(); }
        finally { set_default_dtype(previous); }
    }
}
