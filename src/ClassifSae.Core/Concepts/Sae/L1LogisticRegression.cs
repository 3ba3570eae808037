using ClassifSae.Numerics;

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

    public static LogisticFit From(SagaState state, int features, double c, int iterations, bool converged)
    {
        var k = state.Intercept.Length;
        var w = new double[features, k];
        for (var j = 0; j < features; j++) for (var o = 0; o < k; o++) w[j, o] = state.Weights[j * k + o];
        return new LogisticFit(w, (double[])state.Intercept.Clone(), c, iterations, converged);
    }
}

/// <summary>
/// L1-penalised logistic regression by scikit-learn 1.2's saga (sag_fast.pyx), step for step: samples drawn by
/// <see cref="SagaSampler"/>, SAGA gradient steps with the just-in-time proximal (soft-threshold) updates, step size
/// 1/(2L) with L = ¼(max‖x‖² + 1), and the stopping test once per pass over the data (largest coefficient change over
/// the pass ≤ tol × largest coefficient). Multinomial for more than two classes (or when asked, as multi_class=
/// "multinomial" does for two), a single logit (labels ±1) otherwise; optional per-sample weights scale each gradient.
/// Running the same algorithm from the same random stream is what makes the selected features the original's: at
/// tol 1e-3 saga stops well short of the optimum, and the optimum's support is smaller.
/// </summary>
public static class L1LogisticRegression
{
    /// <summary>Runs saga on <paramref name="rows"/> of the design, continuing from <paramref name="state"/> (its memory is updated in place).</summary>
    /// <param name="labels">Class index of each of <paramref name="rows"/>.</param>
    /// <param name="rng">The RandomState make_dataset draws the sampler's seed from.</param>
    /// <param name="sampleWeights">Weight of each of <paramref name="rows"/> (class_weight="balanced"), or null for 1.</param>
    /// <param name="multinomial">Two classes as a two-logit softmax (state of width 2) instead of one logit.</param>
    public static LogisticFit Fit(ScaledDesign x, int[] rows, IReadOnlyList<long> labels, int classes, double c, double tolerance,
        int maxIterations, NumpyRandomState rng, SagaState state, double[]? sampleWeights = null, bool multinomial = false)
    {
        if (labels.Count != rows.Length) throw new ArgumentException($"{labels.Count} labels for {rows.Length} rows");
        if (sampleWeights is not null && sampleWeights.Length != rows.Length) throw new ArgumentException($"{sampleWeights.Length} sample weights for {rows.Length} rows");
        if (classes < 2) throw new ArgumentException("logistic regression needs at least two classes");
        var n = rows.Length;
        var f = x.Features;
        var k = classes == 2 && !multinomial ? 1 : classes;
        var sampler = new SagaSampler((uint)rng.RandInt(1, int.MaxValue));
        var step = 1.0 / (2 * (0.25 * (x.MaxSquaredRowNorm + 1)));
        var beta = 1.0 / c / n;
        const double alpha = 0.0, interceptDecay = 1.0;
        var wscaleUpdate = 1.0 - step * alpha;

        var w = state.Weights;
        var intercept = state.Intercept;
        var sumGradient = state.SumGradient;
        var interceptSumGradient = state.InterceptSumGradient;
        var gradientMemory = state.GradientMemory;
        var seen = state.Seen;
        var numSeen = state.NumSeen;
        var cumSums = new double[n];
        var cumSumsProx = new double[n];
        var featureHist = new int[f];
        var previous = new double[f * k];
        var prediction = new double[k];
        var gradient = new double[k];
        var wscale = 1.0;
        var target = new double[n];
        for (var i = 0; i < n; i++) target[i] = k == 1 ? (labels[i] == 1 ? 1.0 : -1.0) : labels[i];

        var epochs = 0;
        var converged = false;
        for (var epoch = 0; epoch < maxIterations; epoch++)
        {
            for (var itr = 0; itr < n; itr++)
            {
                var sample = sampler.Next(n);
                var xi = x.Row(rows[sample]);
                var sIdx = sample * k;
                if (!seen[sample]) { numSeen++; seen[sample] = true; }
                if (itr > 0) LaggedUpdate(w, wscale, f, n, k, itr, cumSums, cumSumsProx, featureHist, sumGradient, reset: false);

                for (var o = 0; o < k; o++)
                {
                    var inner = 0.0;
                    for (var j = 0; j < f; j++) inner += w[j * k + o] * xi[j];
                    prediction[o] = wscale * inner + intercept[o];
                }
                if (k == 1) gradient[0] = LogLossDerivative(prediction[0], target[sample]);
                else MultinomialGradient(prediction, (int)target[sample], gradient);
                if (sampleWeights is not null)
                    for (var o = 0; o < k; o++) gradient[o] *= sampleWeights[sample];

                wscale *= wscaleUpdate;
                var seenFactor = 1 - 1.0 / numSeen;
                for (var j = 0; j < f; j++)
                {
                    double val = xi[j];
                    for (var o = 0; o < k; o++)
                    {
                        var correction = val * (gradient[o] - gradientMemory[sIdx + o]);
                        w[j * k + o] -= correction * step * seenFactor / wscale;
                        sumGradient[j * k + o] += correction;
                    }
                }
                for (var o = 0; o < k; o++)
                {
                    var correction = gradient[o] - gradientMemory[sIdx + o];
                    interceptSumGradient[o] += correction;
                    correction *= step * (1.0 - 1.0 / numSeen);
                    intercept[o] -= step * interceptSumGradient[o] / numSeen * interceptDecay + correction;
                    if (!double.IsFinite(intercept[o])) throw Overflow(epoch);
                }
                for (var o = 0; o < k; o++) gradientMemory[sIdx + o] = gradient[o];

                if (itr == 0)
                {
                    cumSums[0] = step / (wscale * numSeen);
                    cumSumsProx[0] = step * beta / wscale;
                }
                else
                {
                    cumSums[itr] = cumSums[itr - 1] + step / (wscale * numSeen);
                    cumSumsProx[itr] = cumSumsProx[itr - 1] + step * beta / wscale;
                }
                if (wscale < 1e-9)
                {
                    if (!LaggedUpdate(w, wscale, f, n, k, itr + 1, cumSums, cumSumsProx, featureHist, sumGradient, reset: true)) throw Overflow(epoch);
                    wscale = 1.0;
                }
            }
            // Every pass ends by applying all pending updates and resetting the just-in-time bookkeeping.
            if (!LaggedUpdate(w, wscale, f, n, k, n, cumSums, cumSumsProx, featureHist, sumGradient, reset: true)) throw Overflow(epoch);
            wscale = 1.0;
            epochs = epoch + 1;

            double maxChange = 0, maxWeight = 0;
            for (var idx = 0; idx < w.Length; idx++)
            {
                maxWeight = Max(maxWeight, Math.Abs(w[idx]));
                maxChange = Max(maxChange, Math.Abs(w[idx] - previous[idx]));
                previous[idx] = w[idx];
            }
            if ((maxWeight != 0 && maxChange / maxWeight <= tolerance) || (maxWeight == 0 && maxChange == 0)) { converged = true; break; }
        }
        state.NumSeen = numSeen;
        return LogisticFit.From(state, f, c, epochs, converged);
    }

    /// <summary>Predicted classes of the given rows (argmax of the logits; a single logit means class 1 iff it is positive).</summary>
    public static long[] Predict(ScaledDesign x, int[] rows, LogisticFit fit)
    {
        var k = fit.Intercepts.Length;
        var result = new long[rows.Length];
        var logits = new double[k];
        for (var r = 0; r < rows.Length; r++)
        {
            var xi = x.Row(rows[r]);
            for (var o = 0; o < k; o++)
            {
                var s = 0.0;
                for (var j = 0; j < fit.Features; j++) s += xi[j] * fit.Coefficients[j, o];
                logits[o] = s + fit.Intercepts[o];
            }
            if (k == 1) result[r] = logits[0] > 0 ? 1 : 0;
            else
            {
                var best = 0;
                for (var o = 1; o < k; o++) if (logits[o] > logits[best]) best = o;
                result[r] = best;
            }
        }
        return result;
    }

    /// <summary>sag_fast's lagged_update with the proximal step (β &gt; 0); false when a weight became non-finite.</summary>
    private static bool LaggedUpdate(double[] w, double wscale, int features, int n, int k, int sampleItr, double[] cumSums,
        double[] cumSumsProx, int[] featureHist, double[] sumGradient, bool reset)
    {
        for (var feature = 0; feature < features; feature++)
        {
            var fIdx = feature * k;
            var cumSum = cumSums[sampleItr - 1];
            var cumSumProx = cumSumsProx[sampleItr - 1];
            if (featureHist[feature] != 0)
            {
                cumSum -= cumSums[featureHist[feature] - 1];
                cumSumProx -= cumSumsProx[featureHist[feature] - 1];
            }
            for (var o = 0; o < k; o++)
            {
                var idx = fIdx + o;
                if (Math.Abs(sumGradient[idx] * cumSum) < cumSumProx)
                {
                    // All gradient steps then all proximal steps at once (the order the pending updates allow).
                    w[idx] -= cumSum * sumGradient[idx];
                    w[idx] = SoftThreshold(w[idx], cumSumProx);
                }
                else
                {
                    var last = featureHist[feature];
                    if (last == -1) last = sampleItr - 1;
                    for (var lagged = sampleItr - 1; lagged > last - 1; lagged--)
                    {
                        double gradStep, proxStep;
                        if (lagged > 0)
                        {
                            gradStep = cumSums[lagged] - cumSums[lagged - 1];
                            proxStep = cumSumsProx[lagged] - cumSumsProx[lagged - 1];
                        }
                        else
                        {
                            gradStep = cumSums[lagged];
                            proxStep = cumSumsProx[lagged];
                        }
                        w[idx] -= sumGradient[idx] * gradStep;
                        w[idx] = SoftThreshold(w[idx], proxStep);
                    }
                }
                if (reset)
                {
                    w[idx] *= wscale;
                    if (!double.IsFinite(w[idx])) return false;
                }
            }
            featureHist[feature] = reset ? sampleItr % n : sampleItr;
        }
        if (reset)
        {
            cumSums[sampleItr - 1] = 0.0;
            cumSumsProx[sampleItr - 1] = 0.0;
        }
        return true;
    }

    /// <summary>sgd_fast's Log.dloss for a label y = ±1.</summary>
    private static double LogLossDerivative(double p, double y)
    {
        var z = p * y;
        if (z > 18.0) return Math.Exp(-z) * -y;
        if (z < -18.0) return -y;
        return -y / (Math.Exp(z) + 1.0);
    }

    private static void MultinomialGradient(double[] prediction, int y, double[] gradient)
    {
        var vmax = prediction[0];
        for (var i = 1; i < prediction.Length; i++) if (vmax < prediction[i]) vmax = prediction[i];
        var sum = 0.0;
        for (var i = 0; i < prediction.Length; i++) sum += Math.Exp(prediction[i] - vmax);
        var logSumExp = Math.Log(sum) + vmax;
        for (var o = 0; o < prediction.Length; o++)
        {
            gradient[o] = Math.Exp(prediction[o] - logSumExp);
            if (o == y) gradient[o] -= 1.0;
        }
    }

    private static double SoftThreshold(double x, double shrinkage) => Max(x - shrinkage, 0) - Max(-x - shrinkage, 0);

    // sag_fast's fmax: the first argument unless the second is larger (NaN-propagation as in the C code).
    private static double Max(double x, double y) => x > y ? x : y;

    private static InvalidOperationException Overflow(int epoch) =>
        new($"the logistic probe's saga solver over- or underflowed in pass {epoch + 1}");
}
