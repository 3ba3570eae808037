using ClassifSae.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>
/// HF Trainer's weight-decay split (transformers 4.43.3 <c>get_decay_parameter_names</c>): no decay for a parameter whose
/// name contains "bias" or that belongs to a normalisation module, recognised by its type (LayerNorm, or an
/// <see cref="INormLayer"/> such as our RMSNorm), not by its name: GPT-J's <c>ln_1</c>/<c>ln_f</c>, Llama's final
/// <c>model.norm</c> and BERT's <c>LayerNorm</c> carry no "layernorm" in their names. Every optimiser path uses this split.
/// </summary>
public static class WeightDecayGroups
{
    public static bool IsNormLayer(nn.Module module) => module is LayerNorm or INormLayer;

    /// <summary>The names (as <c>named_parameters</c> gives them) of the parameters that get no weight decay.</summary>
    public static IReadOnlySet<string> NoDecayNames(nn.Module model)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (IsNormLayer(model)) names.UnionWith(model.named_parameters().Select(p => p.name));
        foreach (var (prefix, module) in model.named_modules())
        {
            if (!IsNormLayer(module)) continue;
            foreach (var (name, _) in module.named_parameters()) names.Add($"{prefix}.{name}");
        }
        names.UnionWith(model.named_parameters().Select(p => p.name).Where(n => n.Contains("bias", StringComparison.Ordinal)));
        return names;
    }

    /// <summary>Every parameter in <c>named_parameters</c> order, with whether weight decay applies to it.</summary>
    public static List<(string Name, Parameter Parameter, bool Decay)> Split(nn.Module model)
    {
        var noDecay = NoDecayNames(model);
        return model.named_parameters().Select(p => (p.name, p.parameter, !noDecay.Contains(p.name))).ToList();
    }
}
