return Journeys.Cli.JourneysCommand.Run(args, Console.Out, Console.Error);
