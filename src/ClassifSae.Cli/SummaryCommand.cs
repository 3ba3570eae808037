using System.CommandLine;
using ClassifSae.Formats;
using ClassifSae.Results;

namespace ClassifSae.Cli;

/// <summary>
/// <c>classifsae summary --profile smoke</c>: the per-method table of the README ("What the smoke run measures") as
/// Markdown, from the results store (read-only), with the CPU model and thread count the runs recorded.
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "write the Markdown to this file instead of printing it" };
        var cmd = new Command("summary", "print the per-method table of a profile's newest runs (Markdown) from the results store");
        cmd.Options.Add(CommonOptions.Profile);
        cmd.Options.Add(CommonOptions.Store);
        cmd.Options.Add(output);
        cmd.SetAction(r => CliErrors.Guard(() =>
        {
            var path = Path.GetFullPath(r.GetValue(CommonOptions.Store) ?? Locations.DefaultStore());
            var profile = Path.GetFileNameWithoutExtension(r.GetValue(CommonOptions.Profile)!);
            using var store = ResultsStore.OpenReadOnly(path);
            var markdown = MethodSummaryTable.Markdown(store, profile);
            var target = r.GetValue(output);
            if (string.IsNullOrWhiteSpace(target)) Console.Write(markdown);
            else AtomicFile.WriteAllText(Path.GetFullPath(target), markdown);
            return 0;
        }));
        return cmd;
    }
}
