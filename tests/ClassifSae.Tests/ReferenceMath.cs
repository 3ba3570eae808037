namespace ClassifSae.Tests;

/// <summary>Double-precision special functions for the plain C# reference forwards (no TorchSharp).</summary>
internal static class ReferenceMath
{
    /// <summary>Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erf by its Maclaurin series (|x| ≤ 3) or continued fraction: accurate to ~1e-12 for GELU's inputs.</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) > 3) return Math.Sign(x) * (1 - Erfc(Math.Abs(x)));
        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
            if (Math.Abs(term) < 1e-17) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static double Erfc(double x)
    {
        // Lentz continued fraction for erfc, x > 3.
        double f = 0;
        for (var n = 60; n >= 1; n--) f = n / 2.0 / (x + f);
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + f);
    }
}
