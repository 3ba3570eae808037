namespace ClassifSae;

/// <summary>A problem with the user's input (config, files, data); the CLI prints its message as one line, no stack trace.</summary>
public sealed class UserError(string message, Exception? inner = null) : Exception(message, inner);
