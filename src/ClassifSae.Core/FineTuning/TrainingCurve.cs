namespace ClassifSae.FineTuning;

/// <summary>Loss (and learning rate) recorded every few steps, for training curves in the report.</summary>
public sealed class TrainingCurve
{
    public List<(int Step, double Loss, double LearningRate)> Points { get; } = [];

    public void Add(int step, double loss, double lr) => Points.Add((step, loss, lr));

    public double LastLoss => Points.Count == 0 ? double.NaN : Points[^1].Loss;
}
