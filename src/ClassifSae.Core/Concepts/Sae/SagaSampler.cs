namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The sample order of scikit-learn's SequentialDataset.random: a 32-bit xorshift (our_rand_r) seeded by
/// make_dataset's RandomState.randint(1, 2³¹ − 1), reduced modulo the number of rows.
/// </summary>
public sealed class SagaSampler(uint seed)
{
    private uint _state = seed;

    public int Next(int samples)
    {
        if (_state == 0) _state = 1;   // our_rand_r's DEFAULT_SEED
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        var value = _state % 0x80000000u;
        return (int)(value % (uint)samples);
    }
}
