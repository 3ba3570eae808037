using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClassifSae.FineTuning;

/// <summary>AdamW as HF's Trainer sets it up: weight decay on weights only, not on biases or norm layers (<see cref="WeightDecayGroups"/>).</summary>
public static class AdamWFactory
{
    public static AdamW Create(nn.Module model, double lr, double weightDecay)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (_, p, decays) in WeightDecayGroups.Split(model)) (decays ? decay : noDecay).Add(p);
        var groups = new[]
        {
            new AdamW.ParamGroup(decay, new AdamW.Options { LearningRate = lr, weight_decay = weightDecay }),
            new AdamW.ParamGroup(noDecay, new AdamW.Options { LearningRate = lr, weight_decay = 0 }),
        };
        return optim.AdamW(groups, lr, beta1: 0.9, beta2: 0.999, eps: 1e-8);
    }

    public static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }
}
