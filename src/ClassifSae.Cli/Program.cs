using System.CommandLine;
using ClassifSae.Cli;

var root = new RootCommand("classifsae: ClassifSAE pipeline — fine-tune, cache, train, evaluate, report, query");
foreach (var stage in ClassifSae.Pipeline.StageRegistry.All) root.Subcommands.Add(StageCommand.Create(stage));
root.Subcommands.Add(RunAllCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(VerifyBackboneCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return CliErrors.Guard(() => root.Parse(args).Invoke());
