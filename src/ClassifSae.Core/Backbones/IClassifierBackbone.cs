using ClassifSae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClassifSae.Backbones;

/// <summary>
/// What the pipeline needs from a text classifier, whatever its family: tokenise an example into its prompt, run the
/// forward to the hook and read the decision state, run the tail from a state to the label logits, the fine-tuning
/// loss, and the Hugging Face folder it saves to (loaded back through <see cref="Registry.BackboneRegistry"/>).
/// A causal LM reads its decision at the token before the appended label token and its labels are vocabulary rows;
/// a sequence classifier reads [CLS] and its labels are its head's outputs. Each family is one folder plus one
/// <see cref="Registry.BackboneRegistry"/> line.
/// </summary>
public interface IClassifierBackbone : IDisposable
{
    BackboneShape Shape { get; }

    /// <summary>The network, for device moves, train/eval mode and the optimizer's parameters.</summary>
    nn.Module Module { get; }

    /// <summary>Token ids of one example as the family feeds it (a causal LM: the template with the true label's token appended).</summary>
    int[] EncodePrompt(ITextTokenizer tokenizer, PromptTemplate template, string text, int label);

    /// <summary>For each class, the row of <see cref="Decision"/>'s logits that scores it (a causal LM: the label token's id).</summary>
    int[] LabelOutputs(ITextTokenizer tokenizer, int classes);

    /// <summary>Pads encoded prompts into a batch the way the family expects (side, positions, truncation to <paramref name="maxLength"/>).</summary>
    TokenBatch Batch(IReadOnlyList<int[]> prompts, int padId, int? maxLength, Device device);

    /// <summary>A batch from given ids [B, T] and attention mask [B, T] (a golden file's rows); positions follow the family's rule.</summary>
    TokenBatch Batch(Tensor inputIds, Tensor attentionMask);

    /// <summary>
    /// One forward: the state entering block <paramref name="hookLayer"/> at the decision token [B, D]
    /// (<c>hookLayer = NumLayers</c>: the last block's output) and the logits there ([B, V] or [B, C]).
    /// </summary>
    (Tensor Hidden, Tensor Logits) Decision(TokenBatch batch, int hookLayer);

    /// <summary>From a decision state [B, D] entering block <paramref name="fromLayer"/> to logits [B, outputs], or only the rows <paramref name="labelOutputs"/>.</summary>
    Tensor Tail(Tensor hidden, int fromLayer, Tensor? labelOutputs = null);

    /// <summary>The classifier fine-tuning loss of a batch of prompts; <paramref name="classLabels"/> [B] are the true classes.</summary>
    Tensor FineTuneLoss(TokenBatch batch, Tensor classLabels);

    /// <summary>Every hidden state in transformers' <c>output_hidden_states</c> order and the model's logits (parity checks).</summary>
    BackboneOutputs Outputs(TokenBatch batch);

    /// <summary>Writes a Hugging Face folder (config.json + model.safetensors) that <see cref="Registry.BackboneRegistry.Load"/> and transformers read.</summary>
    void Save(string folder);
}
