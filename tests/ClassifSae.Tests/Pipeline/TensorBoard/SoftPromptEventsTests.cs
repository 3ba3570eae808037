using ClassifSae.FineTuning;
using ClassifSae.Pipeline.TensorBoard;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones.Decoders;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Pipeline.TensorBoard;

/// <summary>The soft-prompt loop (a library loop no stage runs) writes every curve point to the training log it is given.</summary>
public sealed class SoftPromptEventsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("softprompt-events-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Its_events_equal_its_curve_step_by_step()
    {
        using var model = TinyDecoders.Create("llama");
        var prompts = Enumerable.Range(0, 16).Select(i => new[] { 1, 2 + i % 2, 3 + i, 30 + i % 2 }).ToList();
        var labels = Enumerable.Range(0, 16).Select(i => (long)(i % 2)).ToList();
        SoftPromptTrainer.Result result;
        using (var log = TensorBoardLog.Create(_dir, "soft_prompt"))
            result = SoftPromptTrainer.Train(model, prompts, labels, [30, 31], new SoftPromptSettings { Tokens = 2, Steps = 12, BatchSize = 4 },
                padId: 0, maxLength: null, seed: 3, CPU, SilentProgress.Instance, log);
        result.Prompt.Dispose();
        var scalars = EventFileReader.Scalars(EventFileReader.SingleFile(TensorBoardLog.RunFolder(_dir, "soft_prompt")));
        Assert.Equal(12, result.Curve.Points.Count);
        Assert.Equal(result.Curve.Points.Select(p => ((long)p.Step, (float)p.Loss)), scalars["soft_prompt/loss"]);
        Assert.Equal(result.Curve.Points.Select(p => ((long)p.Step, (float)p.LearningRate)), scalars["soft_prompt/learning_rate"]);
    }
}
