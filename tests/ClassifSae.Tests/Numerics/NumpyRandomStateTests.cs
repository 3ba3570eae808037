using ClassifSae.Numerics;
using ClassifSae.Tests.Fixtures;

namespace ClassifSae.Tests.Numerics;

/// <summary>Against numpy_random_state.json: NumPy 1.24's legacy RandomState streams for three seeds.</summary>
public class NumpyRandomStateTests
{
    public static TheoryData<int> Cases() => [0, 1, 2];

    private static System.Text.Json.Nodes.JsonNode Case(int i) => SklearnFixtures.Load("numpy_random_state.json")["cases"]![i]!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_first_thousand_normals_equal_numpys_bit_for_bit(int i)
    {
        var c = Case(i);
        var expected = c["normal"]!.Doubles();
        var actual = new NumpyRandomState(c["seed"]!.GetValue<long>()).Normal(expected.Length);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Raw_words_uniforms_and_randint_equal_numpys(int i)
    {
        var c = Case(i);
        var seed = c["seed"]!.GetValue<long>();
        var words = new NumpyRandomState(seed);
        Assert.Equal(c["uint32"]!.Longs(), Enumerable.Range(0, 8).Select(_ => (long)words.NextUInt32()));
        var uniform = new NumpyRandomState(seed);
        Assert.Equal(c["random_sample"]!.Doubles(), Enumerable.Range(0, 8).Select(_ => uniform.NextDouble()));
        var saga = new NumpyRandomState(seed);
        Assert.Equal(c["randint_1_int32max"]!.Longs(), Enumerable.Range(0, 4).Select(_ => saga.RandInt(1, int.MaxValue)));
        var small = new NumpyRandomState(seed);
        Assert.Equal(c["randint_800"]!.Longs(), Enumerable.Range(0, 8).Select(_ => small.RandInt(0, 800)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_cached_second_gaussian_survives_uniform_draws(int i)
    {
        var c = Case(i);
        var rs = new NumpyRandomState(c["seed"]!.GetValue<long>());
        double[] actual = [.. rs.Normal(3), rs.NextDouble(), rs.NextDouble(), .. rs.Normal(2)];
        Assert.Equal(c["normal3_sample2_normal2"]!.Doubles(), actual);
    }
}
