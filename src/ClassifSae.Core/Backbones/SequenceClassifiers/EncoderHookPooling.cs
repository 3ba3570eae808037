namespace ClassifSae.Backbones.SequenceClassifiers;

/// <summary>Which vector of an encoder's hook state is cached: the first token (upstream's [CLS], the default) or the mean over real tokens.</summary>
public enum EncoderHookPooling
{
    FirstToken,
    Mean,
}
