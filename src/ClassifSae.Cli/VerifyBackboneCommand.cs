using System.CommandLine;
using ClassifSae.Backbones;
using ClassifSae.Backbones.Registry;
using ClassifSae.Pipeline;
using ClassifSae.Runtime;

namespace ClassifSae.Cli;

/// <summary>
/// <c>classifsae verify-backbone --model M --golden F [--tolerance X]</c>: any registered backbone's forward (all hidden
/// states and the logits, real tokens of padded rows: left for causal LMs, right for sequence classifiers) against golden
/// tensors from transformers (build/tools/dump_golden.py). Families: those of the backbone registry (gpt_neox, roberta, deberta-v2, …).
/// Exit 0 within tolerance, 3 on a mismatch, 1 on bad input.
/// </summary>
internal static class VerifyBackboneCommand
{
    public const int MismatchExitCode = 3;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder (config.json + weights; tokenizer files optional) or hub id in the HF cache", Required = true };
        var golden = new Option<string>("--golden") { Description = "safetensors written by build/tools/dump_golden.py", Required = true };
        var tolerance = new Option<double>("--tolerance") { Description = "largest accepted absolute difference (hidden states and logits)", DefaultValueFactory = _ => 1e-3 };
        var cmd = new Command("verify-backbone", "compare our backbone forward with golden hidden states and logits from the reference implementation");
        cmd.Options.Add(model);
        cmd.Options.Add(golden);
        cmd.Options.Add(tolerance);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var tol = r.GetValue(tolerance);
            if (!(tol >= 0) || double.IsInfinity(tol)) throw new UserError($"--tolerance must be a finite number >= 0, got {tol}");
            var folder = ModelResolver.Resolve(r.GetValue(model)!, SilentProgress.Instance, allowDownload: false);
            using var backbone = BackboneRegistry.Load(folder);
            var diffs = BackboneParity.Compare(backbone, r.GetValue(golden)!);
            foreach (var d in diffs)
                Console.WriteLine($"prompt {d.Prompt}: {d.RealTokens} of {d.Tokens} tokens real, max |Δ hidden| {d.MaxHiddenDiff:E2} " +
                                  $"(hidden_states[{d.WorstHiddenState}]), max |Δ logits| {d.MaxLogitDiff:E2}");
            var worst = diffs.Max(d => d.Worst);
            // NaN (a non-finite output) is a mismatch, never a pass.
            var ok = worst <= tol;
            Console.WriteLine(ok ? $"OK: within {tol:E1} ({backbone.Shape.Family}, {diffs.Count} prompts)" : $"MISMATCH: {worst:E2} exceeds {tol:E1}");
            return ok ? 0 : MismatchExitCode;
        }));
        return cmd;
    }
}
