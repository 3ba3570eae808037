using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The probe's design as the original builds it: StandardScaler on the fp32 activations (mean and two-pass variance
/// accumulated in fp64, zero-variance columns get scale 1), applied in place on fp32 so every value is rounded to
/// fp32 twice (after the subtraction and after the division), then read by LogisticRegressionCV as fp64. Stored
/// dense row-major in fp32, which holds those values exactly at half the memory.
/// </summary>
public sealed class ScaledDesign
{
    private readonly float[] _values;

    public int Rows { get; }
    public int Features { get; }

    /// <summary>max_i ‖x_i‖² over the fitted rows, which sets saga's step size (LogisticRegressionCV computes it once on all rows).</summary>
    public double MaxSquaredRowNorm { get; }

    /// <param name="x">[N, F] fp32 activations, dense or sparse COO.</param>
    public ScaledDesign(Tensor x) : this(x, null) { }

    /// <summary>
    /// The scaler fitted on <paramref name="fitRows"/> only (all rows when null) and applied to every row, as a pipeline
    /// refitted on each cross-validation fold does; <see cref="MaxSquaredRowNorm"/> is then over the fitted rows.
    /// </summary>
    public ScaledDesign(Tensor x, int[]? fitRows)
    {
        if (x.dim() != 2) throw new ArgumentException($"the probe needs a [N, F] matrix, got {x.dim()} dimensions");
        using var scope = NewDisposeScope();
        var dense = (x.is_sparse ? x.to_dense() : x).to(ScalarType.Float32).contiguous();
        Rows = (int)dense.size(0);
        Features = (int)dense.size(1);
        var raw = dense.data<float>().ToArray();
        var fitted = fitRows ?? Enumerable.Range(0, Rows).ToArray();
        var count = fitted.Length;
        var mean = new double[Features];
        foreach (var i in fitted)
        for (var j = 0; j < Features; j++) mean[j] += raw[(long)i * Features + j];
        for (var j = 0; j < Features; j++) mean[j] /= count;
        // The corrected two-pass variance of scikit-learn's _incremental_mean_and_var.
        var correction = new double[Features];
        var squares = new double[Features];
        foreach (var i in fitted)
        for (var j = 0; j < Features; j++)
        {
            var d = raw[(long)i * Features + j] - mean[j];
            correction[j] += d;
            squares[j] += d * d;
        }
        var scale = new double[Features];
        for (var j = 0; j < Features; j++)
        {
            var variance = (squares[j] - correction[j] * correction[j] / count) / count;
            scale[j] = IsConstant(variance, mean[j], count) ? 1.0 : Math.Sqrt(variance);
        }
        _values = raw;
        var maxNorm = 0.0;
        var inFit = new bool[Rows];
        foreach (var i in fitted) inFit[i] = true;
        for (var i = 0; i < Rows; i++)
        {
            var norm = 0.0;
            for (var j = 0; j < Features; j++)
            {
                var k = (long)i * Features + j;
                var centred = (float)(raw[k] - mean[j]);
                var v = (float)(centred / scale[j]);
                _values[k] = v;
                norm += (double)v * v;
            }
            if (inFit[i]) maxNorm = Math.Max(maxNorm, norm);
        }
        MaxSquaredRowNorm = maxNorm;
    }

    /// <summary>Row i's standardised values.</summary>
    public ReadOnlySpan<float> Row(int i) => _values.AsSpan(i * Features, Features);

    /// <summary>
    /// scikit-learn's _is_constant_feature: a variance within the rounding error bound of the two-pass algorithm
    /// counts as zero (the column is then left unscaled).
    /// </summary>
    private static bool IsConstant(double variance, double mean, int n)
    {
        var eps = Math.Pow(2, -52);
        var upperBound = n * eps * variance + Math.Pow(n * mean * eps, 2);
        return variance <= upperBound;
    }
}
