return Lfr.Host.Cli.LfrCommand.Run(args);
