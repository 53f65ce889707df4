using System.CommandLine;

namespace Journeys.Cli;

/// <summary>The <c>journeys</c> command line: validate, graph, simulate, explain, schema, test. Exit codes: 0 success, 1 invalid input,
/// 2 wrong usage. Only a verb's own output goes to stdout; diagnostics go to stderr.</summary>
internal static class JourneysCommand
{
    public const int Ok = 0;
    public const int InvalidInput = 1;
    public const int Usage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr = new EscapingWriter(stderr); // what an id or a file name holds never acts on the terminal
        var root = new RootCommand("Operate customer journeys: validate, draw, simulate and explain them.")
        {
            ValidateCommand.Create(stdout, stderr),
            GraphCommand.Create(stdout, stderr),
            SimulateCommand.Create(stdout, stderr),
            ExplainCommand.Create(stdout, stderr),
            ReportCommand.Create(stdout, stderr),
            SchemaCommand.Create(stdout),
            TestCommand.Create(stdout, stderr),
        };

        // No verb at all is someone finding their way: show the help, as --help does, rather than an error.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"journeys: {error.Message}");
            }

            stderr.WriteLine("Run 'journeys --help' for usage.");
            return Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"journeys: {ex.Message}");
            return InvalidInput;
        }
    }
}
