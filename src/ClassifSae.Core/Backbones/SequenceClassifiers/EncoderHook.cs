namespace ClassifSae.Backbones.SequenceClassifiers;

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
    public string HookName => NameOf(Layer, Token);

    /// <summary>The hook name of layer <paramref name="layer"/> read at <paramref name="token"/> ([CLS] when null).</summary>
    public static string NameOf(int layer, string? token) => token == Mean ? $"blocks.{layer}.hook_resid_pre.mean" : $"blocks.{layer}.hook_resid_pre";

    public static EncoderHookPooling Pooling(string? token) => token == Mean ? EncoderHookPooling.Mean : EncoderHookPooling.FirstToken;

    /// <summary>Checks a config's hook keys (null = the default: the last layer, [CLS]).</summary>
    public static void Validate(int? layer, string? token, int numLayers, Action<bool, string> require)
    {
        require(layer is null || (layer >= 0 && layer <= numLayers), $"{LayerKey} {layer} is outside 0..{numLayers}");
        require(token is null || Tokens.Contains(token), $"{TokenKey} '{token}' is not supported (expected '{Cls}' or '{Mean}')");
    }
}
