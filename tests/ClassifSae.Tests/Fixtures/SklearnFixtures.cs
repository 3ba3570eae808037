using System.Text.Json.Nodes;

namespace ClassifSae.Tests.Fixtures;

/// <summary>The golden JSON files made by build/tools/make_sklearn_fixtures.py from NumPy / scikit-learn (versions inside each).</summary>
internal static class SklearnFixtures
{
    public static JsonObject Load(string name)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "ClassifSae.Tests", "Fixtures", "sklearn", name);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public static double[] Doubles(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();
    public static long[] Longs(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<long>()).ToArray();
    public static int[] Ints(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>()).ToArray();

    public static double[,] Matrix(this JsonNode node)
    {
        var rows = node.AsArray();
        var cols = rows[0]!.AsArray().Count;
        var m = new double[rows.Count, cols];
        for (var i = 0; i < rows.Count; i++)
        for (var j = 0; j < cols; j++) m[i, j] = rows[i]![j]!.GetValue<double>();
        return m;
    }
}
