using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Decoders;

/// <summary>
/// Gradient checkpointing of one block (HF's <c>gradient_checkpointing_enable</c>, torch.utils.checkpoint's idea) as a custom
/// autograd function: forward runs the block without recording a graph and keeps only its input (and the rotary angles and
/// mask it needs); backward runs the block again with a graph from that input and hands autograd the gradients of the input
/// and of the block's parameters. Blocks here have no dropout, so the recomputation is the same function.
/// </summary>
public sealed class CheckpointedBlock : autograd.SingleTensorFunction<CheckpointedBlock>
{
    public override string Name => nameof(CheckpointedBlock);

    /// <summary>The block's output; its activations are recomputed in backward instead of stored.</summary>
    /// <param name="block">the block as a function of (input, context)</param>
    /// <param name="parameters">the block's parameters (their gradients come from the recomputation)</param>
    public static Tensor Run(Func<Tensor, DecoderContext, Tensor> block, Tensor h, DecoderContext context, IReadOnlyList<Tensor> parameters)
    {
        // Tensor arguments become the node's inputs: h, cos, sin, the mask (or null) and the parameters, in that order.
        object?[] args = [block, parameters.Count, h, context.Cos, context.Sin, context.Mask, .. parameters];
        return apply(args!);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var block = (Func<Tensor, DecoderContext, Tensor>)vars[0];
        var (h, cos, sin, mask) = ((Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4], vars[5] as Tensor);
        ctx.save_data("block", block);
        ctx.save_data("parameters", vars.Skip(6).Cast<Tensor>().ToList());
        ctx.save_data("masked", mask is not null);
        ctx.save_for_backward(mask is null ? [h, cos, sin] : [h, cos, sin, mask]);
        // The context is borrowed: not disposed here.
        return block(h, new DecoderContext(cos, sin, mask));
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var block = (Func<Tensor, DecoderContext, Tensor>)ctx.get_data("block");
        var parameters = (List<Tensor>)ctx.get_data("parameters");
        var saved = ctx.get_saved_variables();
        var masked = (bool)ctx.get_data("masked");
        using var _ = enable_grad();
        List<Tensor> grads;
        using (var scope = NewDisposeScope())
        {
            var input = saved[0].detach().requires_grad_(true);
            var output = block(input, new DecoderContext(saved[1], saved[2], masked ? saved[3] : null));
            var wrt = new List<Tensor> { input };
            wrt.AddRange(parameters);
            grads = autograd.grad([output], wrt, [gradOutput], allow_unused: true).ToList();
            foreach (var g in grads) g?.MoveToOuterDisposeScope();
        }
        // One entry per forward argument: none for the block and the count, h's gradient, none for cos, sin and the mask.
        var result = new List<Tensor> { null!, null!, grads[0], null!, null!, null! };
        result.AddRange(grads.Skip(1));
        return result;
    }
}
