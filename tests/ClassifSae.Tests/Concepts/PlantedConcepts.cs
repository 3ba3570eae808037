using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>
/// Synthetic activations: 8 planted unit directions in d_in = 16. Each row holds the direction of its class
/// y ∈ {0…3} and one of the 4 "nuisance" directions 4…7, each with a coefficient in [1,3], plus small noise.
/// Every direction is therefore present in 25 % of the rows, and the label is tied to directions 0…3.
/// </summary>
internal static class PlantedConcepts
{
    public const int DIn = 16;
    public const int Classes = 4;

    public static (Tensor X, Tensor Y) Make(int rows, long seed)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        var directions = randn([8, DIn], generator: g);
        directions /= directions.pow(2).sum(-1, keepdim: true).sqrt();
        var y = randint(0, Classes, [rows], generator: g);
        var rng = new Random((int)seed);
        var labels = y.data<long>().ToArray();
        var coefficients = new float[rows * 8];
        for (var i = 0; i < rows; i++)
        {
            coefficients[i * 8 + labels[i]] = 1f + 2f * rng.NextSingle();
            coefficients[i * 8 + 4 + rng.Next(4)] = 1f + 2f * rng.NextSingle();
        }
        var x = tensor(coefficients, [rows, 8]).matmul(directions) + randn([rows, DIn], generator: g) * 0.05;
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }
}
