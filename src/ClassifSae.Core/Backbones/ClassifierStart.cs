namespace ClassifSae.Backbones;

/// <summary>
/// What the FineTune stage asks of a pretrained folder: a classifier of these classes (a sequence classifier without a head gets a
/// new one, initialised from <paramref name="Seed"/>; one with a head must have these classes) reading its decision state at the
/// given hook (null: the family's default). Decoders take no hook choice.
/// </summary>
public sealed record ClassifierStart(IReadOnlyList<string> ClassNames, long Seed, int? HookLayer = null, string? HookToken = null)
{
    public bool ChoosesHook => HookLayer is not null || HookToken is not null;
}
