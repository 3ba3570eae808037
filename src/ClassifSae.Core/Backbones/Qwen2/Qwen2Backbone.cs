using static TorchSharp.torch;
using ClassifSae.Backbones.Llama;

namespace ClassifSae.Backbones.Qwen2;

/// <summary>
/// <c>Qwen2ForCausalLM</c>: Llama's blocks (<see cref="LlamaForCausalLM"/>) with biases on the q/k/v projections (not on o_proj),
/// usually tied embeddings, and no BOS in front of the prompt. <c>use_sliding_window=true</c> is refused.
/// </summary>
public static class Qwen2Backbone
{
    public const string ModelType = LlamaConfig.Qwen2;

    public static LlamaForCausalLM Load(string folder, ScalarType dtype = ScalarType.Float32) => LlamaCheckpoint.Load(folder, ModelType, dtype);
}
