using ClassifSae.Backbones;
using ClassifSae.Backbones.Decoders;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.FineTuning;
using ClassifSae.Runtime;
using ClassifSae.Tests.Backbones;
using ClassifSae.Tests.Backbones.Decoders;
using ClassifSae.Tests.Backbones.Encoders;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.FineTuning;

/// <summary>Gradient checkpointing (spec 04 §3.2): recomputing blocks in backward gives the gradients of the stored-activation path.</summary>
public sealed class GradientCheckpointingTests(ITestOutputHelper output)
{
    private static readonly int[][] Rows = [[1, 17, 4, 9, 22, 8, 40, 30], [1, 5, 33, 2, 7], [1, 6, 28, 3]];

    private static Dictionary<string, Tensor> Gradients(CausalDecoder model, bool checkpointing, bool softPrompt)
    {
        model.train();
        model.GradientCheckpointing = checkpointing;
        model.zero_grad();
        using var scope = NewDisposeScope();
        using var batch = model.Batch(Rows, padId: 0, maxLength: null, CPU);
        var prompt = softPrompt ? randn(3, model.Shape.HiddenSize, generator: new Generator(2)).requires_grad_(true) : null;
        var (_, logits) = prompt is null ? model.Decision(batch, model.Shape.NumLayers) : model.Decision(batch, prompt, model.Shape.NumLayers);
        var loss = nn.functional.cross_entropy(logits, batch.InputIds[.., -1]) + logits.pow(2).mean() * 0.1;
        loss.backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone().MoveToOuterDisposeScope());
        if (prompt is not null) grads["soft_prompt"] = prompt.grad!.clone().MoveToOuterDisposeScope();
        return grads;
    }

    [Theory]
    [InlineData("llama", false)]
    [InlineData("mistral", false)]
    [InlineData("qwen2", false)]
    [InlineData("gptj", false)]
    [InlineData("llama", true)]
    public void Checkpointed_blocks_give_the_gradients_of_the_plain_backward(string family, bool softPrompt)
    {
        using var model = TinyDecoders.Create(family);
        var plain = Gradients(model, checkpointing: false, softPrompt);
        var recomputed = Gradients(model, checkpointing: true, softPrompt);
        Assert.Equal(plain.Keys.Order(), recomputed.Keys.Order());
        double worst = 0;
        foreach (var (name, g) in plain)
        {
            Assert.True(g.abs().max().item<float>() > 0 || name.Contains("embed") || name.Contains("wte"), $"{name}: zero gradient in the plain path");
            worst = Math.Max(worst, (g - recomputed[name]).abs().max().item<float>());
        }
        output.WriteLine($"{family}{(softPrompt ? " + soft prompt" : "")}: max |Δgrad| over {plain.Count} tensors {worst:E2}");
        Assert.True(worst <= 1e-6, $"{worst:E2}");
    }

    [Fact]
    public void The_block_runs_without_a_graph_in_forward_and_once_more_in_backward()
    {
        using var linear = nn.Linear(6, 6);
        var calls = new List<bool>();   // whether autograd recorded during each call
        Tensor Block(Tensor x, DecoderContext c)
        {
            calls.Add(is_grad_enabled());
            return linear.forward(x).tanh() * c.Cos.mean();
        }
        using var x = randn(4, 6, generator: new Generator(1)).requires_grad_(true);
        using var context = new DecoderContext(full(1, 1.5f), zeros(1), null);
        using var y = CheckpointedBlock.Run(Block, x, context, linear.parameters().ToList());
        Assert.Equal([false], calls);
        Assert.True(y.requires_grad);
        y.sum().backward();
        Assert.Equal([false, true], calls);
        var (gx, gw) = (x.grad!.clone(), linear.weight!.grad!.clone());

        x.grad!.zero_();
        linear.zero_grad();
        Block(x, context).sum().backward();
        Assert.True(gx.allclose(x.grad!, rtol: 0, atol: 1e-7), "input gradient differs");
        Assert.True(gw.allclose(linear.weight!.grad!, rtol: 0, atol: 1e-7), "weight gradient differs");
    }

    /// <summary>
    /// GPT-NeoX (Pythia, fully fine-tuned upstream) through the fine-tuner's two losses: the decision-token cross-entropy and
    /// the causal-LM pretraining loss, on a left-padded batch (the mask path, pad-aware positions) and on equal-length rows (no mask).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Checkpointed_gpt_neox_layers_give_the_gradients_of_the_plain_backward(bool padded)
    {
        int[][] rows = padded ? Rows : [[1, 17, 4, 9, 22], [1, 5, 33, 2, 7], [1, 6, 28, 3, 40]];
        Dictionary<string, Tensor> Gradients(GptNeoXForCausalLM model, bool checkpointing)
        {
            model.train();
            model.GradientCheckpointing = checkpointing;
            model.zero_grad();
            using var scope = NewDisposeScope();
            using var batch = model.Batch(rows, padId: 0, maxLength: null, CPU);
            Assert.Equal(padded, batch.AttentionMask is not null);
            var loss = model.FineTuneLoss(batch, zeros(rows.Length, dtype: ScalarType.Int64)) + 0.5 * model.NextTokenLoss(batch);
            loss.backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone().MoveToOuterDisposeScope());
        }
        using var model = TinyGptNeoX.Create(seed: 5);
        var plain = Gradients(model, checkpointing: false);
        var recomputed = Gradients(model, checkpointing: true);
        Assert.Equal(plain.Keys.Order(), recomputed.Keys.Order());
        double worst = 0;
        foreach (var (name, g) in plain)
        {
            Assert.True(g.abs().max().item<float>() > 0 || name.Contains("embed"), $"{name}: zero gradient in the plain path");
            worst = Math.Max(worst, (g - recomputed[name]).abs().max().item<float>());
        }
        output.WriteLine($"gpt_neox{(padded ? " (left-padded)" : "")}: max |Δgrad| over {plain.Count} tensors {worst:E2}");
        Assert.True(worst <= 1e-6, $"{worst:E2}");
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt_neox")]
    public void A_checkpointed_decoder_recomputes_its_blocks_in_backward(string family)
    {
        // Forward, then a block weight changes before backward: the plain path kept that weight for backward and refuses
        // (autograd's version check); the checkpointed path kept only block inputs and differentiates the changed block.
        foreach (var checkpointing in new[] { false, true })
        {
            using var backbone = family == "llama" ? (IClassifierBackbone)TinyDecoders.Create("llama") : TinyGptNeoX.Create(seed: 5);
            var model = backbone.Module;
            model.train();
            ((IGradientCheckpointing)backbone).GradientCheckpointing = checkpointing;
            using var batch = backbone.Batch(Rows, padId: 0, maxLength: null, CPU);
            var (_, logits) = backbone.Decision(batch, backbone.Shape.NumLayers);
            using var loss = logits.pow(2).mean();
            var weight = model.named_parameters().First(p => p.name.Contains("layers.0.mlp.")).parameter;
            using (no_grad()) weight.mul_(2);
            if (checkpointing) loss.backward();
            else Assert.ThrowsAny<Exception>(() => loss.backward());
        }
    }

    [Fact]
    public void The_fine_tuner_refuses_checkpointing_for_an_encoder_and_names_the_key()
    {
        using var model = TinyRoberta.Create();
        var e = Assert.Throws<UserError>(() => ClassifierFineTuner.FineTune(model, [], [], new FineTuneOptions { GradientCheckpointing = true },
            padId: 1, seed: 1, CPU, SilentProgress.Instance));
        Assert.Contains("fine_tune.gradient_checkpointing", e.Message);
        Assert.Contains("gpt_neox", e.Message);
    }
}
