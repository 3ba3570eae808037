using static TorchSharp.torch;

namespace ClassifSae.Backbones.Roberta;

/// <summary>
/// transformers' <c>create_position_ids_from_input_ids</c>: real tokens are numbered pad_token_id + 1, + 2, …; pads get
/// pad_token_id. "Real" means id ≠ pad_token_id (not the attention mask), exactly as transformers decides it.
/// </summary>
public static class RobertaPositions
{
    public static Tensor FromInputIds(Tensor inputIds, int padTokenId)
    {
        using var scope = NewDisposeScope();
        var real = inputIds.ne(padTokenId).to(ScalarType.Int64);
        return (real.cumsum(1) * real + padTokenId).MoveToOuterDisposeScope();
    }
}
