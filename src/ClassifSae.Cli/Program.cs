using ClassifSae.Cli;

return CliApp.Run(args);
