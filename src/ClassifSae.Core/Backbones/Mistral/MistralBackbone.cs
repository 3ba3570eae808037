using static TorchSharp.torch;
using ClassifSae.Backbones.Llama;

namespace ClassifSae.Backbones.Mistral;

/// <summary>
/// <c>MistralForCausalLM</c>: Llama's blocks (<see cref="LlamaForCausalLM"/>) with the config's <c>sliding_window</c>: a token
/// attends to itself and the window − 1 columns before it (transformers' rule; Mistral-7B's 4096 bites only on longer inputs).
/// The tokenizer puts <c>&lt;s&gt;</c> (bos_token_id) in front of every prompt.
/// </summary>
public static class MistralBackbone
{
    public const string ModelType = LlamaConfig.Mistral;

    public static LlamaForCausalLM Load(string folder, ScalarType dtype = ScalarType.Float32) => LlamaCheckpoint.Load(folder, ModelType, dtype);
}
