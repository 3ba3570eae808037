namespace ClassifSae.Concepts.Sae;

/// <summary>
/// "Equivalent epoch" bookkeeping and the linear decay weight w(e) = max(0, 1 − e/E) of spec 01 §3.5–§3.6.
/// </summary>
public static class LossDecay
{
    /// <summary>E = floor(total_steps·B / len_epoch): 83 for AG News, 400 for IMDB with the paper's numbers.</summary>
    public static int TotalEpochs(int totalSteps, int batchSize, long lenEpoch) =>
        (int)((long)totalSteps * batchSize / lenEpoch);

    /// <summary>Closed form of the counter below: step s (1-based) uses e = floor(B·s / len_epoch).</summary>
    public static int EpochAtStep(int step1Based, int batchSize, long lenEpoch) =>
        (int)((long)step1Based * batchSize / lenEpoch);

    /// <summary>
    /// w(e) = max(0, 1 − e/E). Port choice: a run shorter than one epoch (E = 0, where the original would divide
    /// by zero) gets no decay, w = 1.
    /// </summary>
    public static double DecayWeight(int epoch, int totalEpochs) =>
        totalEpochs <= 0 ? 1.0 : Math.Max(0.0, 1.0 - (double)epoch / totalEpochs);
}

/// <summary>
/// The original's step-by-step counter: before each step a second token counter grows by B; when it reaches
/// len_epoch, len_epoch is subtracted and the epoch is incremented. The step then uses the current epoch.
/// </summary>
public sealed class EpochCounter(int batchSize, long lenEpoch)
{
    private long _tokensInEpoch;

    public int Epoch { get; private set; }
    public long TokensSeen { get; private set; }

    /// <summary>Advances by one batch and returns the epoch index the coming step uses.</summary>
    public int BeforeStep()
    {
        TokensSeen += batchSize;
        _tokensInEpoch += batchSize;
        while (_tokensInEpoch >= lenEpoch)
        {
            _tokensInEpoch -= lenEpoch;
            Epoch++;
        }
        return Epoch;
    }
}
