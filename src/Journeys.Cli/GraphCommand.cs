using System.CommandLine;
using Journeys.Language.Graph;

namespace Journeys.Cli;

/// <summary><c>journeys graph &lt;folder&gt; [--journey ID] [--format mermaid|dot]</c>.</summary>
internal static class GraphCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var journey = new Option<string?>("--journey") { Description = "Draw only this journey." };
        var format = new Option<string>("--format") { Description = "mermaid (default) or dot.", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("graph", "Print each journey as a diagram: steps, transitions, entry, exits.") { folder, journey, format };
        command.SetAction(parse =>
        {
            var catalog = CatalogReport.Load(parse.GetValue(folder)!, stderr);
            if (catalog is null)
            {
                return JourneysCommand.InvalidInput;
            }

            var id = parse.GetValue(journey);
            var selected = catalog.Journeys.Where(j => id is null || j.Id == id).ToList();
            if (selected.Count == 0)
            {
                stderr.WriteLine(id is null
                    ? "journeys: the folder has no journeys"
                    : $"journeys: no journey '{id}'; journeys are {string.Join(", ", catalog.Journeys.Select(j => j.Id))}");
                return JourneysCommand.Usage;
            }

            var dot = parse.GetValue(format) == "dot";
            for (var i = 0; i < selected.Count; i++)
            {
                if (i > 0)
                {
                    stdout.WriteLine();
                }

                var j = selected[i];
                stdout.Write(dot
                    ? $"// journey {j.Id} v{j.Version}\n{JourneyGraph.ToDot(j)}"
                    : $"%% journey {j.Id} v{j.Version}\n{JourneyGraph.ToMermaid(j)}");
            }

            return JourneysCommand.Ok;
        });
        return command;
    }
}
