using Journeys.Cli;

namespace Journeys.Tests.Support;

/// <summary>Runs the <c>journeys</c> command in-process and captures what it writes.</summary>
internal static class Cli
{
    public sealed record Result(int Exit, string Out, string Err)
    {
        public string[] ErrLines => Split(Err);

        public string[] OutLines => Split(Out);

        private static string[] Split(string text) =>
            text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = JourneysCommand.Run(args, stdout, stderr);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}
