namespace ClassifSae.Numerics;

/// <summary>
/// NumPy's legacy <c>np.random.RandomState(seed)</c>, draw for draw: the MT19937 generator seeded with
/// init_genrand, 53-bit doubles from two 32-bit words, the Marsaglia polar Gaussian that keeps its second value
/// for the next call, and randint's masked rejection sampling. scikit-learn draws FastICA's w_init, KMeans++
/// seeds and saga's sampling seed from this stream, so reproducing its numbers needs it exactly.
/// </summary>
public sealed class NumpyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;
    private bool _hasGauss;
    private double _gauss;

    /// <param name="seed">A seed in [0, 2³²), as RandomState accepts for a scalar.</param>
    public NumpyRandomState(long seed)
    {
        if (seed is < 0 or > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(seed), seed, "a RandomState seed must lie in [0, 2^32)");
        var s = (uint)seed;
        for (var i = 0; i < N; i++)
        {
            _mt[i] = s;
            s = unchecked(1812433253u * (s ^ (s >> 30)) + (uint)i + 1);
        }
        _index = N;
    }

    /// <summary>The next raw 32-bit output (genrand_int32).</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        var y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>random_sample(): a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>standard_normal() / normal(0, 1): the legacy polar method, second value cached.</summary>
    public double NextGaussian()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            var cached = _gauss;
            _gauss = 0;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>normal(size=count): <paramref name="count"/> Gaussians in C order.</summary>
    public double[] Normal(int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = NextGaussian();
        return values;
    }

    /// <summary>randint(low, high) for a range below 2³²: 32-bit words masked to the range's bit width, rejected until in range.</summary>
    public long RandInt(long low, long high)
    {
        if (high <= low) throw new ArgumentException($"randint needs low < high, got [{low}, {high})");
        var range = (ulong)(high - 1 - low);
        if (range == 0) return low;
        if (range > uint.MaxValue) throw new ArgumentException("ranges of 2^32 or more are not supported");
        if (range == uint.MaxValue) return low + NextUInt32();
        var mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        ulong value;
        do value = NextUInt32() & mask; while (value > range);
        return low + (long)value;
    }

    /// <summary>shuffle(x) of a 1-d array: from the last position down to 1, swap with random_interval(i) (= randint(0, i + 1)).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = (int)RandInt(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            var next = _mt[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0) next ^= 0x9908b0dfu;
            _mt[i] = next;
        }
        _index = 0;
    }
}
