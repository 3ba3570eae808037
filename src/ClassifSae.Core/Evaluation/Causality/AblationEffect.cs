using static TorchSharp.torch;

namespace ClassifSae.Evaluation.Causality;

/// <summary>
/// How an ablation changes the bottleneck model's output on a set of sentences (spec 02 §5), measured against
/// the un-ablated bottleneck: accuracy change, mean total variation distance, label-flip rate.
/// </summary>
public sealed record AblationEffect(double AccuracyChange, double Tvd, double FlipRate)
{
    /// <param name="before">un-ablated label logits [n, K]</param>
    /// <param name="after">ablated label logits [n, K]</param>
    /// <param name="truth">true labels of the same n sentences</param>
    public static AblationEffect Measure(Tensor before, Tensor after, IReadOnlyList<long> truth)
    {
        if (truth.Count == 0) return new AblationEffect(0, 0, 0);
        using var scope = NewDisposeScope();
        var p = before.to(ScalarType.Float64).softmax(1);
        var q = after.to(ScalarType.Float64).softmax(1);
        var tvd = (0.5 * (p - q).abs().sum(1)).mean().item<double>();
        var a = p.argmax(1).data<long>().ToArray();
        var b = q.argmax(1).data<long>().ToArray();
        double n = truth.Count;
        var flips = a.Zip(b).Count(x => x.First != x.Second) / n;
        var accBefore = a.Where((v, i) => v == truth[i]).Count() / n;
        var accAfter = b.Where((v, i) => v == truth[i]).Count() / n;
        return new AblationEffect(accAfter - accBefore, tvd, flips);
    }
}
