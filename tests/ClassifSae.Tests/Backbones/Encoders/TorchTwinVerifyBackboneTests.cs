using System.Diagnostics;
using ClassifSae.Tests.Benchmarks;
using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Backbones.Encoders;

/// <summary>
/// verify-backbone end to end on a tiny classifier folder and golden file written by build/tools/torch_twin_encoders.py: an
/// independent plain-torch forward (not transformers, which is not installable here), weights and golden written by Python.
/// Rows of 3 to 64 ids in two right-padded batches; the 64-id row reaches DeBERTa's log buckets (8 buckets over a range of 32).
/// </summary>
public sealed class TorchTwinVerifyBackboneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("torch-twin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PyTorchFact]
    public void Roberta_folder_and_golden_written_by_the_torch_twin_pass_verify_backbone() => Verify("roberta");

    [PyTorchFact]
    public void Deberta_v2_folder_and_golden_written_by_the_torch_twin_pass_verify_backbone() => Verify("deberta-v2");

    private void Verify(string family)
    {
        var folder = Path.Combine(_dir, family);
        var golden = Path.Combine(_dir, family + ".safetensors");
        var script = Path.Combine(RepoPaths.Root, "build", "tools", "torch_twin_encoders.py");
        var psi = new ProcessStartInfo(PyTorchFactAttribute.Reference!.Python, [script, "--family", family, "--model", folder, "--out", golden])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using (var p = Process.Start(psi)!)
        {
            var err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "torch_twin_encoders.py timed out");
            Assert.True(p.ExitCode == 0, err.Result);
        }
        var result = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", golden, "--tolerance", "2e-5");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"OK: within 2.0E-005 ({family}, 6 prompts)", result.Output);
        Assert.Contains("prompt 4: 64 of 64 tokens real", result.Output);
        Assert.Contains("prompt 5: 5 of 64 tokens real", result.Output);
    }
}
