using System.Text.Json.Serialization;

namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>
/// Where an encoder classifier's decision state is read, as its config.json records it (the keys the BERT classifier uses):
/// the output of layer <c>classifsae_hook_layer</c> (absent: the last layer, upstream's choice) at the first token (<c>cls</c>,
/// upstream) or averaged over real tokens (<c>mean</c>), so that every stage reads the same hook.
/// </summary>
public static class EncoderHookSetting
{
    public const string LayerKey = "classifsae_hook_layer";
    public const string TokenKey = "classifsae_hook_token";
    public const string Cls = "cls";
    public const string Mean = "mean";

    public static EncoderHookPooling Pooling(string? token) => token == Mean ? EncoderHookPooling.Mean : EncoderHookPooling.FirstToken;

    /// <summary>The TransformerLens-style name upstream stores encoder caches under; mean pooling is marked so it is never taken for [CLS].</summary>
    public static string HookName(int layer, string? token) => token == Mean ? $"blocks.{layer}.hook_resid_pre.mean" : $"blocks.{layer}.hook_resid_pre";

    public static void Validate(int? layer, string? token, int numLayers, Action<bool, string> require)
    {
        require(layer is null || (layer >= 0 && layer <= numLayers), $"{LayerKey} {layer} is outside 0..{numLayers}");
        require(token is null or Cls or Mean, $"{TokenKey} '{token}' is not supported (expected '{Cls}' or '{Mean}')");
    }
}
