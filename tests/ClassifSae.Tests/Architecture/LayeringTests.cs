using System.Reflection;
using ClassifSae.Pipeline;

namespace ClassifSae.Tests.Architecture;

/// <summary>
/// Keeps the split by audience (docs/architecture.md): the library (ClassifSae.Core) knows nothing of the pipeline,
/// the store, the report or the benches; no two namespaces use each other, directly or around a loop.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Library = typeof(ClassifSae.Concepts.ConceptMethods).Assembly;
    private static readonly Assembly PipelineAssembly = typeof(PipelineRunner).Assembly;
    private static readonly Assembly Benches = typeof(ClassifSae.Benchmarks.BenchStore).Assembly;
    private static readonly Assembly Cli = Assembly.Load("classifsae");

    private static readonly Dictionary<(string From, string To), string> Edges =
        NamespaceDependencies.Edges(new[] { Library, PipelineAssembly, Benches, Cli }.Select(a => a.Location));

    // Lower layers never use higher ones; within a layer any use is allowed as long as there is no cycle.
    private static readonly string[][] Layers =
    [
        ["ClassifSae", "ClassifSae.Formats", "ClassifSae.Numerics", "ClassifSae.Runtime", "ClassifSae.Settings"],
        ["ClassifSae.Text", "ClassifSae.Caching", "ClassifSae.Backbones", "ClassifSae.SentenceEncoders", "ClassifSae.FineTuning",
            "ClassifSae.Concepts", "ClassifSae.Evaluation", "ClassifSae.Api"],
        ["ClassifSae.Data", "ClassifSae.Results", "ClassifSae.Reporting", "ClassifSae.Pipeline"],
        ["ClassifSae.Benchmarks"],
        ["ClassifSae.Cli"],
    ];

    private static int LayerOf(string ns)
    {
        for (var i = 0; i < Layers.Length; i++)
            if (Layers[i].Contains(ns)) return i;
        throw new InvalidOperationException($"namespace {ns} is in no layer of {nameof(LayeringTests)}: add it where it belongs");
    }

    [Fact]
    public void The_reader_sees_uses_inside_method_bodies_and_signatures()
    {
        // Known edges: Pipeline's TrainStage calls ConceptMethods (a body), ConceptTrainingInput has an IProgressSink
        // property (a signature), SafetensorsFile is used by the SAE folder code (a body).
        Assert.Contains(("ClassifSae.Pipeline", "ClassifSae.Concepts"), Edges.Keys);
        Assert.Contains(("ClassifSae.Concepts", "ClassifSae.Runtime"), Edges.Keys);
        Assert.Contains(("ClassifSae.Concepts", "ClassifSae.Formats"), Edges.Keys);
        Assert.Contains(("ClassifSae.Cli", "ClassifSae.Pipeline"), Edges.Keys);
    }

    [Fact]
    public void The_cycle_finder_reports_a_loop_and_only_the_loop()
    {
        var cycles = NamespaceDependencies.Cycles([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E")]);
        Assert.Equal([["A", "B", "C"]], cycles);
        Assert.Empty(NamespaceDependencies.Cycles([("A", "B"), ("B", "C"), ("A", "C")]));
    }

    [Fact]
    public void No_namespaces_use_each_other_in_a_loop()
    {
        var cycles = NamespaceDependencies.Cycles(Edges.Keys);
        var described = cycles.Select(c => string.Join(" <-> ", c) + ": " + string.Join("; ",
            Edges.Where(e => c.Contains(e.Key.From) && c.Contains(e.Key.To)).Select(e => e.Value)));
        Assert.True(cycles.Count == 0, "namespace cycles:\n" + string.Join("\n", described));
    }

    [Fact]
    public void No_namespace_uses_a_higher_layer()
    {
        var upward = Edges.Where(e => LayerOf(e.Key.To) > LayerOf(e.Key.From)).Select(e => e.Value).ToList();
        Assert.True(upward.Count == 0, "uses of a higher layer:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Each_assembly_holds_only_its_layers_namespaces()
    {
        static IEnumerable<string> Namespaces(Assembly a) =>
            a.GetTypes().Select(t => NamespaceDependencies.TopLevel(t.Namespace ?? "")).OfType<string>().Distinct();
        Assert.All(Namespaces(Library), ns => Assert.True(LayerOf(ns) <= 1, $"{ns} is in the library assembly"));
        Assert.All(Namespaces(PipelineAssembly), ns => Assert.Equal(2, LayerOf(ns)));
        Assert.All(Namespaces(Benches), ns => Assert.Equal("ClassifSae.Benchmarks", ns));
    }

    [Fact]
    public void The_library_references_no_store_plotting_report_or_console_package()
    {
        var references = Library.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        string[] forbidden = ["DuckDB", "ScottPlot", "SkiaSharp", "Markdig", "Spectre", "System.CommandLine", "ClassifSae.Pipeline", "ClassifSae.Benchmarks", "classifsae"];
        var bad = references.Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(bad.Count == 0, "ClassifSae.Core references " + string.Join(", ", bad));
        Assert.Contains("TorchSharp", references);
    }

}
