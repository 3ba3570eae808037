namespace ClassifSae.Concepts.Sae;

/// <summary>
/// saga's memory (scikit-learn's warm_start_mem): coefficients [F, K] row-major, intercepts [K], the summed and the
/// per-sample gradients and which samples were seen. LogisticRegressionCV hands it from one C to the next on a fold.
/// </summary>
public sealed class SagaState
{
    public SagaState(int samples, int features, int outputs)
    {
        Weights = new double[features * outputs];
        Intercept = new double[outputs];
        SumGradient = new double[features * outputs];
        InterceptSumGradient = new double[outputs];
        GradientMemory = new double[samples * outputs];
        Seen = new bool[samples];
    }

    public double[] Weights { get; }
    public double[] Intercept { get; }
    public double[] SumGradient { get; }
    public double[] InterceptSumGradient { get; }
    public double[] GradientMemory { get; }
    public bool[] Seen { get; }
    public int NumSeen { get; set; }
}
