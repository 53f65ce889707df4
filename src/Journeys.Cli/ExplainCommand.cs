using System.CommandLine;

namespace Journeys.Cli;

internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("explain", "Not yet available.");
        command.SetAction(_ => { stderr.WriteLine("journeys: not yet available"); return JourneysCommand.Usage; });
        return command;
    }
}
