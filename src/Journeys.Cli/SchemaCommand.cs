using System.CommandLine;
using System.Reflection;

namespace Journeys.Cli;

/// <summary><c>journeys schema</c>: prints the JSON Schema (draft 2020-12) of journey files and policy.yaml, for editors.
/// The schema is <c>docs/journeys.schema.json</c>, embedded in the tool at build time and shipped beside it; tests keep
/// its keys identical to the loader's key tables and check that it never accepts what the loader refuses.</summary>
internal static class SchemaCommand
{
    /// <summary>The schema's name as a resource of this assembly and as a file beside the tool.</summary>
    public const string FileName = "journeys.schema.json";

    public static Command Create(TextWriter stdout)
    {
        var command = new Command("schema", "Print the JSON Schema of journey files and policy.yaml (for editors: a '# yaml-language-server: $schema=...' line uses it).");
        command.SetAction(_ =>
        {
            stdout.Write(Text);
            return JourneysCommand.Ok;
        });
        return command;
    }

    /// <summary>The schema's text, exactly as shipped.</summary>
    public static string Text { get; } = Read();

    private static string Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(FileName)
                           ?? throw new InvalidOperationException($"the tool was built without its embedded {FileName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
