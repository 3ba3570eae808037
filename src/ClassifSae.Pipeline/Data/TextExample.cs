namespace ClassifSae.Data;

/// <summary>
/// One labelled sentence. <paramref name="Index"/> is its position in its split (dataset order is kept through
/// caching, §2.1). <paramref name="SubTopic"/> is the planted ground-truth sub-topic, −1 when unknown (real data).
/// </summary>
public sealed record TextExample(int Index, string Text, int Label, int SubTopic = -1);
