using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

internal static class BenchDtype
{
    public static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
