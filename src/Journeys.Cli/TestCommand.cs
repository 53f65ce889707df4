using System.CommandLine;

namespace Journeys.Cli;

/// <summary><c>journeys test &lt;folder&gt; [--junit FILE]</c>: runs the scenario files in the folder's <c>tests/</c>
/// (each in virtual time, as <c>simulate</c> does), prints each result like a test runner with a diff of expected
/// against actual decisions, exits 1 when any fails or any scenario file is wrong.</summary>
internal static class TestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder; its scenarios are tests/*.yaml." };
        var junit = new Option<string?>("--junit") { Description = "Also write the results as JUnit XML to this file (for CI)." };
        var command = new Command("test", "Run the journey tests (tests/*.yaml beside the journeys): expected and forbidden decisions.") { folder, junit };
        command.SetAction(parse => Run(parse.GetValue(folder)!, parse.GetValue(junit), stdout, stderr));
        return command;
    }

    private static int Run(string folder, string? junit, TextWriter stdout, TextWriter stderr)
    {
        var catalog = CatalogReport.Load(folder, stderr);
        if (catalog is null)
        {
            return JourneysCommand.InvalidInput;
        }

        var testsFolder = Path.Combine(folder, "tests");
        var files = Directory.Exists(testsFolder)
            ? Directory.EnumerateFiles(testsFolder)
                .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
        {
            stderr.WriteLine($"journeys: no scenario files in '{testsFolder}' (tests/*.yaml): nothing was tested");
            return JourneysCommand.InvalidInput;
        }

        var errors = new List<string>();
        var results = new List<ScenarioResult>();
        foreach (var file in files)
        {
            if (ScenarioReader.Read(file, Display(file), catalog, errors) is not { } scenario)
            {
                continue;
            }

            var result = ScenarioCheck.Check(scenario, SimulationRun.Run(catalog, scenario.Inputs, scenario.Until, actions: scenario.Actions));
            results.Add(result);
            stdout.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}  {scenario.Name}  ({scenario.File})");
            foreach (var line in result.Diff)
            {
                stdout.WriteLine("      " + SimulationRun.Escape(line));
            }
        }

        foreach (var error in errors)
        {
            stderr.WriteLine(SimulationRun.Escape(error));
        }

        var failed = results.Count(r => !r.Passed);
        stdout.WriteLine($"{results.Count} scenario{(results.Count == 1 ? "" : "s")}: {results.Count - failed} passed, {failed} failed" +
                         (errors.Count > 0 ? $"; {files.Count - results.Count} scenario file{(files.Count - results.Count == 1 ? "" : "s")} with errors not run" : ""));
        if (junit is not null)
        {
            JUnitReport.Write(junit, folder, results, errors);
        }

        return failed > 0 || errors.Count > 0 ? JourneysCommand.InvalidInput : JourneysCommand.Ok;
    }

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
