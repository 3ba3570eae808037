namespace ClassifSae.Concepts.Sae;

/// <summary>Stops training before a non-finite loss reaches the weights, naming the step and the guilty terms.</summary>
public static class NonFiniteGuard
{
    public static void Check(StepReport r)
    {
        if (double.IsFinite(r.Total)) return;
        var terms = new (string Name, double Value)[]
        {
            ("mse", r.Mse), ("activation_rate", r.ActivationRate), ("classifier", r.Classifier), ("ghost", r.Ghost),
        };
        var bad = terms.Where(t => !double.IsFinite(t.Value)).Select(t => $"{t.Name}={t.Value}").ToList();
        var which = bad.Count > 0 ? string.Join(", ", bad) : "no single term (their weighted sum overflowed)";
        throw new NonFiniteLossException(
            $"Non-finite total loss ({r.Total}) at step {r.Step} of {r.TotalSteps}: non-finite term(s): {which}. " +
            "Check the activations for zero-norm or non-finite rows and the learning rate.", r.Step);
    }
}

public sealed class NonFiniteLossException(string message, int step) : Exception(message)
{
    public int Step { get; } = step;
}
