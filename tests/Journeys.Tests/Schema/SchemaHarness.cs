using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Journeys.Cli;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Journeys.Tests.Schema;

/// <summary>The shipped schema, built once by a real JSON Schema library (JsonSchema.Net), and YAML read into JSON nodes
/// the way the YAML language server reads it (YAML 1.2 core schema: plain <c>1</c> is a number, <c>true</c> a boolean,
/// <c>~</c> null; anything quoted a string).</summary>
internal static partial class SchemaHarness
{
    private static readonly Lazy<JsonSchema> Built = new(() =>
        JsonSchema.FromText(SchemaCommand.Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    public static JsonSchema Schema => Built.Value;

    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Evaluates a document; the errors are "location: message" lines (empty when valid).</summary>
    public static (bool Valid, List<string> Errors) Evaluate(JsonNode? document)
    {
        using var json = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var result = Schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? [])
            .Where(d => !d.IsValid)
            .SelectMany(d => (d.Errors ?? new Dictionary<string, string> { ["?"] = "invalid" }).Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
            .ToList();
        return (result.IsValid, errors);
    }

    public static (bool Valid, List<string> Errors) EvaluateYaml(string yaml) => Evaluate(ToJson(yaml));

    /// <summary>The first document of a YAML text as JSON.</summary>
    public static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    /// <summary>The repository's root (the folder with Journeys.sln), found walking up from the test binaries.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Journeys.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Journeys.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Wraps a spec fragment (a journey without steps, an entry alone, a mapping of steps) into a whole journey
    /// file, so that the fragment's own keys are checked by the schema as they would be in a file.</summary>
    public static JsonObject Complete(JsonObject fragment)
    {
        if (fragment.ContainsKey("policy"))
        {
            return fragment;
        }

        string[] journeyKeys = ["journey", "version", "description", "entry", "reentry", "exit", "goal", "versioning", "start", "steps", "case", "maxCases", "calendar"];
        JsonObject journey;
        if (fragment.Select(kv => kv.Key).All(journeyKeys.Contains))
        {
            journey = fragment;
        }
        else
        {
            // A mapping of step names to steps.
            journey = new JsonObject { ["steps"] = fragment, ["start"] = fragment.First().Key };
        }

        journey["journey"] ??= "fragment";
        journey["entry"] ??= new JsonObject { ["on"] = "signed_up" };
        if (!journey.ContainsKey("steps"))
        {
            journey["steps"] = new JsonObject { ["a"] = null };
            journey["start"] ??= "a";
        }

        return journey;
    }
}
