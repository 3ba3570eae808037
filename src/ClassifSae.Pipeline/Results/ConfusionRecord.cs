namespace ClassifSae.Results;

/// <summary>How many <paramref name="Split"/> sentences of class <paramref name="TrueClass"/> were predicted as <paramref name="PredictedClass"/>.</summary>
/// <param name="Method">Null for the fine-tuned classifier; the concept method whose bottleneck predicted otherwise.</param>
public sealed record ConfusionRecord(string RunId, string Stage, string? Method, string Split, int TrueClass, int PredictedClass, int Count);
