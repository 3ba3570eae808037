using System.CommandLine;

namespace ClassifSae.Cli;

/// <summary>The command tree and how a command line is run: a parse error (an option the command does not take, a missing
/// argument) is one line "error: …" and exit code 1, like any other bad input.</summary>
internal static class CliApp
{
    public static RootCommand Root()
    {
        var root = new RootCommand("classifsae: ClassifSAE pipeline — fine-tune, cache, train, evaluate, report, query, summary");
        foreach (var stage in Pipeline.StageRegistry.All) root.Subcommands.Add(StageCommand.Create(stage));
        root.Subcommands.Add(RunAllCommand.Create());
        root.Subcommands.Add(QueryCommand.Create());
        root.Subcommands.Add(SummaryCommand.Create());
        root.Subcommands.Add(VerifyBackboneCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        var parsed = Root().Parse(args);
        // --help and --version run even beside errors (e.g. `query --help` without its SQL).
        if (parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            var command = parsed.CommandResult.Command;
            var name = command is RootCommand ? "classifsae" : $"classifsae {command.Name}";
            Console.Error.WriteLine($"error: {string.Join("; ", parsed.Errors.Select(e => e.Message.ReplaceLineEndings(" ").TrimEnd('.')))} ({name} --help lists its options)");
            return 1;
        }
        return CliErrors.Guard(() => parsed.Invoke());
    }
}
