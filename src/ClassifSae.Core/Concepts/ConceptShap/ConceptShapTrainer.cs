using ClassifSae.Settings;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.ConceptShap;

/// <summary>One epoch's means: losses (Knn, Diversity = the version's R1, R2) and the completeness diagnostic η = (new − 1/C)/(orig − 1/C) of spec 02 §2.2.</summary>
public sealed record ConceptShapEpoch(int Epoch, double Total, double Prediction, double Knn, double Diversity, double Completeness,
    double ReconstructionAccuracy, double OriginalAccuracy);

/// <summary>One step's loss terms: R1/R2 are the paper's kNN closeness and squared decorrelation, or v2's −top-quarter cosine and mean signed cosine.</summary>
public sealed record ConceptShapLosses(Tensor Total, Tensor Prediction, Tensor R1, Tensor R2, Tensor Logits);

/// <summary>The paper's R_1 searches the nearest training states among all rows: the rows, their squared norms and K.</summary>
public sealed record KnnSearch(Tensor States, Tensor StatesNormSq, int K);

/// <summary>
/// Trains <see cref="ConceptShapModel"/> against the LLM's predicted labels through the frozen remaining block.
/// Paper (spec 02 §2.2): L = CE(ℓ(tail(x̂)), y), plus −λ1 R_1 + λ2 R_2 from <c>RegularizerEpoch</c> on; R_1 averages
/// ⟨c_j, x⟩ over the K training states nearest to c_j (searched over all rows, selection not differentiated); R_2 is the
/// mean squared off-diagonal of CᵀC. Upstream v2 (spec 04 §5.1.2): L = CE + λ1 R1 + λ2 R2 with R1 = −mean of each
/// concept's top-quarter batch cosines and R2 = mean(ĈᵀĈ − I). Adam; each epoch reshuffles and walks full batches
/// while batch_end &lt; N (the original drops the last batch even when it is full).
/// </summary>
public static class ConceptShapTrainer
{
    /// <param name="labelLogits">x̂ [B, d] → label-restricted logits [B, C] of the LLM tail; must be differentiable.</param>
    public static IReadOnlyList<ConceptShapEpoch> Train(ConceptShapModel model, Tensor x, IReadOnlyList<long> y, int classes,
        Func<Tensor, Tensor> labelLogits, ConceptShapOptions options, Action<int>? onStep = null, Action<ConceptShapEpoch>? onEpoch = null)
    {
        var n = x.size(0);
        options.Validate(n);
        var k = (int)Math.Min(options.Settings.TopK, n);
        if (options.FreezeConcepts) model.Concepts.requires_grad = false;
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var adam = optim.Adam(parameters, lr: options.Settings.LearningRate);
        using var gen = new Generator((ulong)options.Seed);
        using var labels = tensor(y.ToArray());
        using var xNormSq = options.Settings.Version != MethodVersion.Upstream2026 ? x.pow(2).sum(1, keepdim: true) : null;
        var knn = xNormSq is null ? null : new KnnSearch(x, xNormSq, k);
        var history = new List<ConceptShapEpoch>();
        var step = 0;
        for (var epoch = 0; epoch < options.Settings.Epochs; epoch++)
        {
            using var perm = randperm(n, generator: gen);
            var sums = new double[7];
            var count = 0;
            for (long start = 0; start + options.Settings.BatchSize < n; start += options.Settings.BatchSize)
            {
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, start, options.Settings.BatchSize);
                var xb = x.index_select(0, idx);
                var yb = labels.index_select(0, idx);
                var loss = StepLoss(model, xb, yb, labelLogits, options.Settings, epoch >= options.Settings.RegularizerEpoch, knn);
                adam.zero_grad();
                loss.Total.backward();
                adam.step();

                long orig, rec;
                using (no_grad())
                {
                    orig = labelLogits(xb).argmax(1).eq(yb).sum().item<long>();
                    rec = loss.Logits.argmax(1).eq(yb).sum().item<long>();
                }
                var chance = 1.0 / classes;
                var eta = (rec - chance) / (orig - chance);
                double[] values = [loss.Total.item<float>(), loss.Prediction.item<float>(), loss.R1.item<float>(), loss.R2.item<float>(), eta,
                    rec / (double)options.Settings.BatchSize, orig / (double)options.Settings.BatchSize];
                for (var i = 0; i < values.Length; i++) sums[i] += values[i];
                count++;
                onStep?.Invoke(++step);
            }
            history.Add(new ConceptShapEpoch(epoch, sums[0] / count, sums[1] / count, sums[2] / count, sums[3] / count, sums[4] / count,
                sums[5] / count, sums[6] / count));
            onEpoch?.Invoke(history[^1]);
        }
        model.Concepts.requires_grad = true;
        return history;
    }

    /// <summary>
    /// The loss of one batch under <see cref="ConceptShapSettings.Version"/>; the regularisers join the total only when
    /// <paramref name="regularise"/> (they are computed either way, for the curves). The paper's R_1 needs <paramref name="knn"/>.
    /// </summary>
    public static ConceptShapLosses StepLoss(ConceptShapModel model, Tensor xb, Tensor yb, Func<Tensor, Tensor> labelLogits,
        ConceptShapSettings settings, bool regularise, KnnSearch? knn)
    {
        using var scope = NewDisposeScope();
        var logits = labelLogits(model.Decode(model.Activations(xb)));
        var prediction = nn.functional.cross_entropy(logits, yb);
        Tensor r1, r2, total;
        if (settings.Version == MethodVersion.Upstream2026)
        {
            r1 = ConceptRegularisers.TopQuarterCloseness(model.Cosines(xb));
            r2 = ConceptRegularisers.SignedDecorrelation(nn.functional.normalize(model.Concepts, dim: 0));
            total = regularise ? prediction + settings.LambdaKnn * r1 + settings.LambdaDiversity * r2 : prediction;
        }
        else
        {
            var search = knn ?? throw new ArgumentException("the paper's ConceptSHAP needs the kNN search over the training states");
            r1 = KnnCloseness(model.Concepts, search.States, search.StatesNormSq, search.K);
            r2 = Decorrelation(model.Concepts);
            total = regularise ? prediction - settings.LambdaKnn * r1 + settings.LambdaDiversity * r2 : prediction;
        }
        Tensor[] all = [total, prediction, r1, r2, logits];
        foreach (var t in all) t.MoveToOuterDisposeScope();
        return new ConceptShapLosses(total, prediction, r1, r2, logits);
    }
    /// <summary>R_1 = mean_j mean over the K rows nearest to c_j (squared Euclidean) of ⟨c_j, x⟩.</summary>
    public static Tensor KnnCloseness(Tensor concepts, Tensor x, Tensor xNormSq, int k)
    {
        using var scope = NewDisposeScope();
        Tensor nearest;
        using (no_grad())
        {
            var distance = xNormSq + concepts.pow(2).sum(0, keepdim: true) - 2 * x.matmul(concepts);   // [N, n]
            nearest = distance.topk(k, dim: 0, largest: false).indexes;                                // [K, n]
        }
        var rows = x.index_select(0, nearest.flatten()).view(k, -1, x.size(1));                         // [K, n, d]
        var dots = (rows * concepts.t().unsqueeze(0)).sum(2);                                          // [K, n]
        return dots.mean().MoveToOuterDisposeScope();
    }

    /// <summary>R_2 = mean over i ≠ j of (CᵀC)_ij².</summary>
    public static Tensor Decorrelation(Tensor concepts)
    {
        using var scope = NewDisposeScope();
        var n = concepts.size(1);
        var gram = concepts.t().matmul(concepts);
        var offDiagonal = gram.pow(2).sum() - gram.diagonal().pow(2).sum();
        return (n > 1 ? offDiagonal / (n * (n - 1)) : offDiagonal * 0).MoveToOuterDisposeScope();
    }
}
