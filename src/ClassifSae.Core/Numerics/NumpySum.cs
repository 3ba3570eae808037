namespace ClassifSae.Numerics;

/// <summary>NumPy's pairwise summation (np.sum / np.mean of a contiguous float64 array), for sums whose rounding decides a comparison.</summary>
public static class NumpySum
{
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        if (a.Length < 8)
        {
            var res = 0.0;
            foreach (var v in a) res += v;
            return res;
        }
        if (a.Length <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            var i = 8;
            for (; i < a.Length - a.Length % 8; i += 8)
                for (var j = 0; j < 8; j++) r[j] += a[i + j];
            var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < a.Length; i++) sum += a[i];
            return sum;
        }
        var half = a.Length / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }

    public static double Mean(ReadOnlySpan<double> a) => Pairwise(a) / a.Length;
}
