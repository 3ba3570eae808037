using System.CommandLine;
using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Runtime;

namespace ClassifSae.Cli;

/// <summary><c>classifsae verify-backbone --model M --golden F</c>: our GPT-NeoX forward against golden tensors from transformers.</summary>
internal static class VerifyBackboneCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder or hub id (HF cache)", Required = true };
        var golden = new Option<string>("--golden") { Description = "safetensors written by build/tools/dump_golden.py", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "largest accepted absolute difference (hidden states and logits)", DefaultValueFactory = _ => 1e-3 };
        var cmd = new Command("verify-backbone", "compare our GPT-NeoX forward with golden hidden states and logits from the reference implementation");
        cmd.Options.Add(model);
        cmd.Options.Add(golden);
        cmd.Options.Add(tolerance);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var folder = ModelResolver.Resolve(r.GetValue(model)!, SilentProgress.Instance, allowDownload: false);
            using var m = GptNeoXCheckpoint.Load(folder);
            var tol = r.GetValue(tolerance);
            var diffs = BackboneParity.Compare(m, r.GetValue(golden)!);
            foreach (var d in diffs)
                Console.WriteLine($"prompt {d.Prompt}: {d.Tokens} tokens, max |Δ hidden| {d.MaxHiddenDiff:E2}, max |Δ logits| {d.MaxLogitDiff:E2}");
            var worst = diffs.Max(d => Math.Max(d.MaxHiddenDiff, d.MaxLogitDiff));
            Console.WriteLine(worst <= tol ? $"OK: within {tol:E1}" : $"MISMATCH: {worst:E2} exceeds {tol:E1}");
            return worst <= tol ? 0 : 3;
        }));
        return cmd;
    }
}
