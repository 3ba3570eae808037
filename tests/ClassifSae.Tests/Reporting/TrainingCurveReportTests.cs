using System.Text.Json;
using System.Text.RegularExpressions;
using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;
using ClassifSae.Pipeline.Stages;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Reporting;

/// <summary>
/// The report's training curves on the real stage layout: FineTune's curves.json and each method's
/// train/&lt;method&gt;/training_curve.json, written with the methods' own record types and serializer, recorded by the
/// real stage runner and store ingest; the report finds them through the store's artefact list only.
/// </summary>
public sealed class TrainingCurveReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("curves-").FullName;
    private readonly PipelineKey _key = new("m", "d");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RunContext Context() => new()
    {
        Profile = ProfileLoader.Parse("""{ "name": "t", "models": { "m": {} }, "datasets": { "d": {} } }""", "t.json"),
        RunsDir = Path.Combine(_dir, "runs"), StorePath = Path.Combine(_dir, "results.duckdb"), Device = CPU, DeviceName = "cpu", Threads = 1,
    };

    private static StepReport Step(int step, double total) => new(step, 20, 0, 1, 1e-3, total / 2, 0.1, total / 4, 0, total, 0, 0.9, 0.1, 10);

    private void RunStages(RunContext ctx)
    {
        var cell = ctx with { Ingest = new StoreIngest(ctx).Record };
        var ft = StageRunner.Run(cell, StageNames.FineTune, _key, new { }, new Dictionary<string, StageManifest>(), dir =>
        {
            File.WriteAllText(new FineTuneArtifacts(dir).CurvesFile,
                """{"pretrain": [{"step": 1, "loss": 6.0, "lr": 0.1}, {"step": 2, "loss": 3.0, "lr": 0.1}], "finetune": [{"step": 1, "loss": 1.0, "lr": 0.1}]}""");
            return [];
        });
        StageRunner.Run(cell, StageNames.Train, _key, new { }, new Dictionary<string, StageManifest> { [StageNames.FineTune] = ft }, dir =>
        {
            foreach (var sae in new[] { "classifsae", "sae" })
            {
                Directory.CreateDirectory(TrainStage.MethodDir(dir, sae));
                File.WriteAllText(Path.Combine(TrainStage.MethodDir(dir, sae), SaeMethodTraining.CurveFile),
                    JsonSerializer.Serialize(new List<StepReport> { Step(10, 2.0), Step(20, 1.0) }, Profile.JsonOptions));
            }
            Directory.CreateDirectory(TrainStage.MethodDir(dir, "conceptshap"));
            File.WriteAllText(Path.Combine(TrainStage.MethodDir(dir, "conceptshap"), ConceptShapMethod.CurveFile), JsonSerializer.Serialize(
                new List<ConceptShapEpoch> { new(0, 1.4, 1.2, 0.3, 0.1, 0.5, 0.6, 0.9), new(1, 0.9, 0.8, 0.4, 0.05, 0.7, 0.8, 0.9) }, Profile.JsonOptions));
            Directory.CreateDirectory(TrainStage.MethodDir(dir, "ica"));
            File.WriteAllText(Path.Combine(TrainStage.MethodDir(dir, "ica"), "method.json"), "{}");
            return [];
        });
    }

    [Fact]
    public void Each_training_curve_is_drawn_once_with_its_data_under_its_methods_name()
    {
        var ctx = Context();
        RunStages(ctx);
        var html = File.ReadAllText(ReportStage.Run(ctx).HtmlPath);
        var section = TrainingSection(html);

        Assert.Equal(4, Regex.Matches(section, "<figure[ >]").Count);   // fine-tuning, ClassifSAE, SAE, ConceptSHAP (ICA has no curve)
        Assert.Single(Regex.Matches(section, ">Fine-tuning loss — m / d</text>"));
        Assert.Single(Regex.Matches(section, ">ClassifSAE training loss — m / d</text>"));
        Assert.Single(Regex.Matches(section, ">SAE training loss — m / d</text>"));
        Assert.Single(Regex.Matches(section, ">ConceptSHAP training loss — m / d</text>"));
        Assert.DoesNotContain("no data", section);
        Assert.Contains(">prediction</text>", section);   // ConceptSHAP's terms, over epochs
        Assert.Contains(">epoch</text>", section);
        Assert.Contains(">mse</text>", section);
    }

    [Fact]
    public void The_store_holds_every_logged_step_of_every_curve()
    {
        var ctx = Context();
        RunStages(ctx);
        using var store = ClassifSae.Results.ResultsStore.Open(ctx.StorePath);
        var rows = store.Query("SELECT stage, curve, term, x_unit, x, value FROM training_curves ORDER BY stage, curve, term, x").Rows
            .Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]} {Convert.ToDouble(r[4])} {Convert.ToDouble(r[5])}").ToList();
        Assert.Contains("finetune pretrain loss step 1 6", rows);
        Assert.Contains("finetune pretrain loss step 2 3", rows);
        Assert.Contains("finetune finetune loss step 1 1", rows);
        Assert.Contains("train classifsae total step 10 2", rows);
        Assert.Contains("train classifsae total step 20 1", rows);
        Assert.Contains("train sae mse step 20 0.5", rows);
        Assert.Contains("train conceptshap total epoch 1 0.9", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith("train ica", StringComparison.Ordinal));
        Assert.Equal(3, rows.Count(r => r.StartsWith("finetune", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_curve_file_in_a_stage_folder_that_the_store_does_not_list_is_not_drawn()
    {
        var ctx = Context();
        RunStages(ctx);
        // What Train used to leave next to the method folders: a second copy of the ClassifSAE curve.
        File.Copy(Path.Combine(TrainStage.MethodDir(ctx.StageDir(StageNames.Train, _key), "classifsae"), SaeMethodTraining.CurveFile),
            Path.Combine(ctx.StageDir(StageNames.Train, _key), "training_curve.json"));
        var html = File.ReadAllText(ReportStage.Run(ctx).HtmlPath);
        Assert.Equal(4, Regex.Matches(TrainingSection(html), "<figure[ >]").Count);
        Assert.Single(Regex.Matches(html, ">ClassifSAE training loss — m / d</text>"));
    }

    /// <summary>The report's "Training curves" section (up to the next heading).</summary>
    internal static string TrainingSection(string html)
    {
        var section = html[html.IndexOf("id=\"training-curves\"", StringComparison.Ordinal)..];
        return section[..section.IndexOf("<h2", 10, StringComparison.Ordinal)];
    }
}
