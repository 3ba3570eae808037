using ClassifSae.Benchmarks;

namespace ClassifSae.Tests.Benchmarks;

/// <summary>
/// The PyTorch side of the Bench (build/tools/bench_torch.py): each quick case must exist there, count exactly the FLOPs
/// our case counts (same shapes, same formula — a drifted shape would make the speed comparison meaningless), and come
/// back as a row with both times.
/// </summary>
public class PyTorchReferenceTests
{
    [PyTorchFact]
    public void Quick_cases_run_in_pytorch_with_the_same_flop_count_and_give_a_speed_ratio()
    {
        var found = PyTorchFactAttribute.Reference!;
        var torch = new PyTorchReference(found.Python, found.Script, found.Timeout) { CeilingSize = 256 };
        var cases = BenchSuite.Cases(quick: true).Where(c => !c.Name.StartsWith("ablation", StringComparison.Ordinal)).ToList();
        var (_, results) = BenchRunner.Run(BenchSuite.Ceilings(quick: true).Take(1).ToList(), cases, pytorch: torch);
        foreach (var r in results.Skip(1))
        {
            Assert.True(r.PyTorch is not null, $"{r.Name}: no PyTorch measurement ({r.Notes})");
            Assert.Equal(r.FlopsPerIteration, r.PyTorch!.FlopsPerIteration, 6);
            Assert.True(r.PyTorch.MedianSeconds > 0);
            Assert.Equal(r.PyTorch.MedianSeconds / r.MedianSeconds, r.SpeedVsPyTorch, 12);
        }
        Assert.Contains("× PyTorch", BenchMarkdown.Format(new BenchEnvironment(1, 1, 2, false), results, "test"));
    }

    [Fact]
    public void Dense_decoder_references_have_no_pytorch_twin()
    {
        var torch = new PyTorchReference("python3", "unused.py", TimeSpan.FromSeconds(1));
        Assert.False(torch.Covers("sae_step_d512_dense_reference"));
        Assert.True(torch.Covers("sae_step_d512"));
    }
}
