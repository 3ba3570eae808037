using ClassifSae.Tests.Benchmarks;
using ClassifSae.Tests.Cli;
using System.Diagnostics;
using Xunit.Abstractions;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>
/// verify-backbone end to end on golden files written by build/tools/torch_decoder_golden.py: an independent float64
/// forward in plain torch (NOT transformers, which this machine lacks; dump_golden.py --tiny-random makes the
/// transformers ones), reading the saved folder through its own safetensors parser. Rows of 12, 7 and 3 tokens, left-padded,
/// so the Mistral window of 3 bites.
/// </summary>
public sealed class TorchGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("torch-golden-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PyTorchFact]
    public void Verify_backbone_passes_on_torch_made_golden_files_of_every_decoder_family()
    {
        var python = PyTorchFactAttribute.Reference!.Python;
        var script = Path.Combine(RepoPaths.Root, "build", "tools", "torch_decoder_golden.py");
        foreach (var family in new[] { "llama", "mistral", "qwen2", "gptj" })
        {
            using var model = TinyDecoders.Create(family, seed: 9);
            var folder = Path.Combine(_dir, family);
            model.Save(folder);
            var golden = Path.Combine(_dir, family + ".safetensors");
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { script, "--model", folder, "--out", golden }) psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                var err = p.StandardError.ReadToEnd();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                Assert.True(p.ExitCode == 0, $"{family}: {err}");
            }
            var r = CliProcess.Run(_dir, "verify-backbone", "--model", folder, "--golden", golden, "--tolerance", "1e-4");
            output.WriteLine($"{family}:\n{r.Output}");
            Assert.True(r.ExitCode == 0, $"{family}: {r.Output}");
            Assert.Contains("prompt 2: 3 of 12 tokens real", r.Output);
        }
    }
}
