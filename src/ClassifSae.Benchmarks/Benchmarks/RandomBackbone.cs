using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>A GPT-NeoX backbone with HF-style random weights and random token batches of given lengths (speed does not depend on values).</summary>
internal static class RandomBackbone
{
    public static IClassifierBackbone Create(GptNeoXConfig cfg, long seed, ScalarType dtype = ScalarType.Float32)
    {
        var model = new GptNeoXForCausalLM(cfg);
        using var gen = new Generator((ulong)seed);
        model.InitializeWeights(gen);
        if (dtype != ScalarType.Float32) model.to(dtype);
        if (BenchDevice.IsAccelerator) model.to(BenchDevice.Current);
        return model;
    }

    /// <summary>Left-padded batch of random ids with the given real lengths (pad id 0).</summary>
    public static TokenBatch Batch(IClassifierBackbone model, int[] lengths, int seed)
    {
        var random = new Random(seed);
        var sequences = lengths.Select(l => Enumerable.Range(0, l).Select(_ => random.Next(1, model.Shape.VocabSize)).ToArray()).ToList();
        return model.Batch(sequences, padId: 0, maxLength: null, BenchDevice.Current);
    }
}
