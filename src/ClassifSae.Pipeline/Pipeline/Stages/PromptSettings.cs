namespace ClassifSae.Pipeline.Stages;

/// <summary>
/// The FineTune settings the downstream stages need (prompt_settings.json in the FineTune folder): the class count, the
/// token limit of a prompt and the template variant. Cache, Train and Evaluate read them here, never from the profile.
/// </summary>
public sealed record PromptSettings(int Classes, int MaxLength, bool SpaceBeforeFinalNewline);
