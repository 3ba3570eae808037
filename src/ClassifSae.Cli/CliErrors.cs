using ClassifSae.Pipeline;

namespace ClassifSae.Cli;

/// <summary>Turns expected failures (bad config, missing or corrupt files, bad data) into one red line and exit code 1.</summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            // Plain stderr, not Spectre: its markup output wraps long lines at the console width.
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            // A bug rather than bad input: still one line on the console, the stack trace goes to a file.
            var log = Path.Combine(Path.GetTempPath(), $"classifsae-crash-{Environment.ProcessId}.log");
            File.WriteAllText(log, e.ToString());
            Console.Error.WriteLine($"internal error: {OneLine(e.Message.Split('\n')[0])} (details in {log})");
            return 2;
        }
    }

    private static bool IsUserFacing(Exception e) => e is UserError or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or IOException
        || e.GetType().Name is "NonFiniteLossException" or "DuckDBException"
        || (e is InvalidOperationException or ArgumentException && e.Message.StartsWith("--", StringComparison.Ordinal));

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
