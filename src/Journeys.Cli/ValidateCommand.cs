using System.CommandLine;

namespace Journeys.Cli;

/// <summary><c>journeys validate &lt;folder&gt;</c>: loads and compiles every journey, the policy and the rules.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var command = new Command("validate", "Load and compile every journey, the policy and the rules; print ok or every error.") { folder };
        command.SetAction(parse =>
        {
            var catalog = CatalogReport.Load(parse.GetValue(folder)!, stderr);
            if (catalog is null)
            {
                return JourneysCommand.InvalidInput;
            }

            stdout.WriteLine($"ok: {catalog.Journeys.Count} journey{(catalog.Journeys.Count == 1 ? "" : "s")}");
            return JourneysCommand.Ok;
        });
        return command;
    }
}
