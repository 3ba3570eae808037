namespace ClassifSae.Text;

/// <summary>What a vocabulary limit did: the corpus's vocabulary size, the size kept (pad and unknown included), and how
/// many of the corpus's token occurrences now read as unknown.</summary>
public sealed record VocabularyCap(int CorpusVocabSize, int KeptVocabSize, long UnknownOccurrences, long TotalOccurrences)
{
    public bool Capped => KeptVocabSize < CorpusVocabSize;

    public double UnknownShare => TotalOccurrences == 0 ? 0 : (double)UnknownOccurrences / TotalOccurrences;
}
