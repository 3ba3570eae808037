using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// Result of <see cref="TopKSae.Encode"/>. <see cref="Scale"/> is the per-sample rescale c = √d_in/‖x‖ [B,1];
/// decode must reuse it, so encode and decode stay paired per batch (spec 01 §3.2).
/// </summary>
public sealed record SaeEncoding(Tensor HiddenPre, Tensor Z, Tensor Scale);
