using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>A fitted probe: coefficients [F, K'] (K' = 1 for two classes, as scikit-learn stores them) and intercepts [K'].</summary>
public sealed record LogisticFit(double[,] Coefficients, double[] Intercepts, double C, int Iterations, bool Converged)
{
    public int Features => Coefficients.GetLength(0);

    /// <summary>L2 norm of each feature's coefficients across classes (|w| for two classes).</summary>
    public double[] FeatureScores()
    {
        var scores = new double[Features];
        for (var j = 0; j < Features; j++)
        {
            var s = 0.0;
            for (var k = 0; k < Coefficients.GetLength(1); k++) s += Coefficients[j, k] * Coefficients[j, k];
            scores[j] = Math.Sqrt(s);
        }
        return scores;
    }
}

/// <summary>
/// L1-penalised logistic regression (multinomial for more than two classes, a single logit otherwise) on a
/// standardised design, minimising scikit-learn's objective C·Σᵢ CEᵢ + ‖W‖₁ (intercept unpenalised), divided by C·N.
/// Solved by FISTA with adaptive restart and the fixed step 1/L, L = c·σ_max([Xs, 1])²/N (c = ½ multinomial, ¼
/// binary): full-batch, no sampling, so the result depends only on the data. Each iteration is two products with the
/// (possibly sparse) design, which keeps 100k × 4096 TopK codes cheap.
/// </summary>
public static class L1LogisticRegression
{
    public static LogisticFit Fit(StandardizedDesign x, IReadOnlyList<long> y, int classes, double c, L1LogisticOptions options, double? lipschitz = null)
    {
        if (y.Count != x.Rows) throw new ArgumentException($"{y.Count} labels for {x.Rows} rows");
        if (classes < 2) throw new ArgumentException("logistic regression needs at least two classes");
        using var scope = NewDisposeScope();
        var n = x.Rows;
        var kc = classes == 2 ? 1 : classes;
        var target = Targets(y, classes);
        var step = 1 / (lipschitz ?? Lipschitz(x, classes));
        var penalty = step / (c * n);

        var w = zeros(x.Features, kc, dtype: ScalarType.Float64);
        var b = zeros(kc, dtype: ScalarType.Float64);
        var wy = w;
        var by = b;
        var t = 1.0;
        var converged = false;
        var iterations = 0;
        for (var it = 0; it < options.MaxIterations; it++)
        {
            using var iter = NewDisposeScope();
            var logits = x.Times(wy) + by;
            var residual = (kc == 1 ? sigmoid(logits) : softmax(logits, 1)) - target;   // ∂ mean CE / ∂ logits × N
            var gw = x.TransposeTimes(residual) / n;
            var gb = residual.sum([0]) / n;
            var wNew = SoftThreshold(wy - step * gw, penalty);
            var bNew = by - step * gb;
            // Restart the momentum when it points uphill (O'Donoghue & Candès), which keeps FISTA monotone in practice.
            var uphill = ((wy - wNew) * (wNew - w)).sum().item<double>() + ((by - bNew) * (bNew - b)).sum().item<double>() > 0;
            var tNew = uphill ? 1.0 : (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            var maxChange = Math.Max((wNew - w).abs().max().item<double>(), (bNew - b).abs().max().item<double>());
            var maxWeight = Math.Max(wNew.abs().max().item<double>(), bNew.abs().max().item<double>());
            var momentum = uphill ? 0.0 : (t - 1) / tNew;
            wy = (wNew + momentum * (wNew - w)).MoveToOuterDisposeScope();
            by = (bNew + momentum * (bNew - b)).MoveToOuterDisposeScope();
            w = wNew.MoveToOuterDisposeScope();
            b = bNew.MoveToOuterDisposeScope();
            t = tNew;
            iterations = it + 1;
            if (maxChange <= options.Tolerance * Math.Max(maxWeight, 1e-12) && it > 0) { converged = true; break; }
        }
        return new LogisticFit(ToArray2(w), b.data<double>().ToArray(), c, iterations, converged);
    }

    /// <summary>Predicted classes [N] (argmax of the logits; a single logit means class 1 iff it is positive).</summary>
    public static long[] Predict(StandardizedDesign x, LogisticFit fit)
    {
        using var scope = NewDisposeScope();
        var f = fit.Features;
        var kc = fit.Intercepts.Length;
        var flat = new double[f * kc];
        for (var j = 0; j < f; j++) for (var k = 0; k < kc; k++) flat[j * kc + k] = fit.Coefficients[j, k];
        var logits = x.Times(tensor(flat, [f, kc])) + tensor(fit.Intercepts);
        var pred = kc == 1 ? logits.squeeze(1).gt(0).to(ScalarType.Int64) : logits.argmax(1);
        return pred.data<long>().ToArray();
    }

    /// <summary>L = c·σ_max([Xs, 1])²/N by 50 power iterations from a fixed start (deterministic), with a 1 % margin.</summary>
    public static double Lipschitz(StandardizedDesign x, int classes)
    {
        using var scope = NewDisposeScope();
        var v = ones(x.Features + 1, 1, dtype: ScalarType.Float64);
        v /= v.norm();
        var eig = 0.0;
        for (var i = 0; i < 50; i++)
        {
            var xv = x.Times(v[..^1]) + v[^1];                              // [N, 1]
            var xtxv = cat([x.TransposeTimes(xv), xv.sum([0]).unsqueeze(1)], 0);
            eig = xtxv.norm().item<double>();
            if (eig == 0) break;
            v = xtxv / eig;
        }
        var curvature = classes == 2 ? 0.25 : 0.5;
        return Math.Max(1.01 * curvature * eig / x.Rows, 1e-12);
    }

    private static Tensor Targets(IReadOnlyList<long> y, int classes)
    {
        var labels = tensor(y.ToArray());
        if (classes == 2) return labels.to(ScalarType.Float64).unsqueeze(1);
        return nn.functional.one_hot(labels, classes).to(ScalarType.Float64);
    }

    private static Tensor SoftThreshold(Tensor v, double by) => v.sign() * (v.abs() - by).clamp_min(0);

    private static double[,] ToArray2(Tensor t)
    {
        var rows = (int)t.size(0);
        var cols = (int)t.size(1);
        var data = t.contiguous().data<double>().ToArray();
        var a = new double[rows, cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) a[i, j] = data[i * cols + j];
        return a;
    }
}
