namespace ClassifSae.Backbones.Bert;

/// <summary>
/// Where an encoder classifier's decision state is read: the output of layer <paramref name="Layer"/> (0 = embeddings,
/// n_layers = the last layer, upstream's choice) at [CLS] (<c>cls</c>, upstream) or averaged over the real tokens (<c>mean</c>).
/// Saved in the model's config.json under <see cref="LayerKey"/> and <see cref="TokenKey"/> so every stage reads the same hook.
/// </summary>
public sealed record EncoderHook(int Layer, string Token)
{
    public const string Cls = "cls";
    public const string Mean = "mean";
    public static readonly IReadOnlyList<string> Tokens = [Cls, Mean];

    public const string LayerKey = "classifsae_hook_layer";
    public const string TokenKey = "classifsae_hook_token";

    /// <summary>TransformerLens-style name, as upstream stores encoder caches; mean pooling is marked so it is never mistaken for [CLS].</summary>
    public string HookName => Token == Cls ? $"blocks.{Layer}.hook_resid_pre" : $"blocks.{Layer}.hook_resid_pre.mean";
}
