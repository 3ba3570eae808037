using ClassifSae.Backbones;
using ClassifSae.Runtime;

namespace ClassifSae.SentenceEncoders;

/// <summary>Turns the profile's <c>evaluate.sentence_encoder</c> into an encoder.</summary>
public static class SentenceEncoderFactory
{
    public const string Builtin = "builtin";

    public static bool IsBuiltin(string spec) => spec == Builtin;

    /// <param name="trainingTexts">the data set's training split (the built-in encoder is fitted on it)</param>
    public static ISentenceEncoder Create(string spec, IReadOnlyList<string> trainingTexts, IProgressSink progress, long seed)
    {
        if (IsBuiltin(spec)) return TfidfSvdEncoder.Fit(trainingTexts, TfidfSvdEncoder.DefaultDimensions, seed);
        try
        {
            return MiniLm.MiniLmEncoder.Load(ModelResolver.Resolve(spec, progress));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new UserError($"evaluate.sentence_encoder '{spec}': {e.Message}");
        }
    }
}
