using static TorchSharp.torch;

namespace ClassifSae.FineTuning.Precision;

/// <summary>
/// The dtype training computes in (profile key <c>fine_tune.precision</c>): "fp32" (the default), "fp16-mixed" (HF's
/// <c>fp16=True</c>: float32 master weights, a float16 forward/backward copy, dynamic loss scaling) or "bf16" (float32 masters,
/// a bfloat16 copy, no loss scaling: bfloat16 has float32's range).
/// </summary>
public static class TrainingPrecision
{
    public const string Fp32 = "fp32";
    public const string Fp16Mixed = "fp16-mixed";
    public const string Bf16 = "bf16";
    public static readonly string[] Names = [Fp32, Fp16Mixed, Bf16];

    public static ScalarType WorkingDtype(string precision) => precision switch
    {
        Fp32 => ScalarType.Float32,
        Fp16Mixed => ScalarType.Float16,
        Bf16 => ScalarType.BFloat16,
        _ => throw new ArgumentException($"precision '{precision}' is not one of {string.Join(", ", Names)}", nameof(precision)),
    };

    public static bool ScalesLoss(string precision) => precision == Fp16Mixed;
}
