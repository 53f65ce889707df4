using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Schema;

/// <summary>The loader stays the authority: the schema never accepts a file that the loader refuses for a structural
/// reason (an unknown or missing key, a value of the wrong shape, type or form). Each good file — the samples' journeys
/// and the spec's v1 examples — is turned into every structurally wrong variant below, and each variant the loader
/// refuses must fail the schema too. What only the loader can see (a goto to no step, an expression's names and types,
/// a cap naming an unknown tier or journey, quietHours 'from' equal to 'to', durations over 100 years) is not
/// structural and not asked of the schema; nor are v2 keys the loader does not read yet (the schema describes them
/// already, and no variant here writes them).</summary>
public sealed partial class SchemaLoaderAgreementTests
{
    /// <summary>Errors about meaning rather than structure; a variant refused only for these is no test of the schema.</summary>
    private static readonly HashSet<string> SemanticCodes =
    [
        DiagnosticCodes.UnknownStep, DiagnosticCodes.Duplicate, DiagnosticCodes.ExpressionSyntax, DiagnosticCodes.UnknownName,
        DiagnosticCodes.TypeError, DiagnosticCodes.UnknownRule, DiagnosticCodes.UnknownTier, DiagnosticCodes.Template,
    ];

    /// <summary>Mappings whose keys are names the operator chooses (steps, tiers), not keys of the language.</summary>
    private static readonly HashSet<string> NamedMaps = ["steps", "tiers", "set", "with", "properties", "calendars"];

    public static TheoryData<string> GoodFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "journeys"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) != "policy.yaml")
            {
                data.Add("sample:" + Path.GetFileName(file));
            }
        }

        data.Add("spec:journey");
        data.Add("spec:policy");
        return data;
    }

    private static string Text(string name) => name switch
    {
        "spec:journey" => SpecDocument.Journey,
        "spec:policy" => SpecDocument.Policy,
        _ => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "journeys", name["sample:".Length..])),
    };

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void StructurallyWrongVariant_TheLoaderRefuses_FailsTheSchemaToo(string name)
    {
        var text = Text(name);
        var fileName = text.Contains("\npolicy:", StringComparison.Ordinal) || text.StartsWith("policy:", StringComparison.Ordinal) ? "policy.yaml" : "journey.yaml";
        var original = (JsonObject)SchemaHarness.ToJson(text)!;
        Assert.Empty(Errors(fileName, original));
        Assert.True(SchemaHarness.Evaluate(original).Valid);

        var refused = 0;
        var accepted = new List<string>();
        foreach (var (description, variant) in Variants(original))
        {
            var errors = Errors(fileName, variant);
            if (errors.Count == 0 || errors.All(e => SemanticCodes.Contains(e.Code)))
            {
                continue;
            }

            refused++;
            if (SchemaHarness.Evaluate(variant).Valid)
            {
                accepted.Add($"{description}: the loader says {errors[0]}");
            }
        }

        Assert.True(refused >= 20, $"only {refused} structurally wrong variants of {name}");
        Assert.True(accepted.Count == 0, $"the schema accepts what the loader refuses:\n{string.Join("\n", accepted)}");
    }

    /// <summary>A journey is loaded beside a policy that defines the samples' calendar, so one that counts working time on
    /// it (the feedback journey's <c>7bd</c>) is refused only for its own structure.</summary>
    private const string CalendarPolicy = "policy:\n  calendars:\n    cn-office: { timeZone: Asia/Shanghai, days: [mon, tue, wed, thu, fri] }\n";

    private static List<Diagnostic> Errors(string fileName, JsonNode document) =>
        JourneyLoader.LoadYaml([(fileName, document.ToJsonString(SchemaHarness.Compact)), .. fileName == "journey.yaml" ? [("policy.yaml", CalendarPolicy)] : Array.Empty<(string, string)>()])
            .Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Every variant: an unknown key in each mapping; each key removed; each value replaced by a value of another
    /// shape (mapping, list, null, number, text, empty list); each duration and time of day written wrongly.</summary>
    private static IEnumerable<(string Description, JsonObject Variant)> Variants(JsonObject original)
    {
        var paths = new List<(string Path, JsonNode? Node, bool InNamedMap)>();
        Collect(original, "", false, paths);
        foreach (var (path, node, inNamedMap) in paths)
        {
            if (node is JsonObject && !NamedMaps.Contains(LastKey(path)))
            {
                yield return ($"{path} + unknown key", Change(original, path, n => ((JsonObject)n!)["colour"] = "blue"));
            }

            if (path == "")
            {
                continue;
            }

            if (!inNamedMap)
            {
                yield return ($"{path} removed", Remove(original, path));
            }

            JsonNode?[] replacements = [new JsonObject { ["x"] = 1 }, new JsonArray("x"), null, 5, "text", new JsonArray()];
            foreach (var replacement in replacements)
            {
                yield return ($"{path} = {replacement?.ToJsonString() ?? "null"}", Replace(original, path, replacement?.DeepClone()));
            }

            if (node is JsonValue value && value.TryGetValue<string>(out var s))
            {
                if (DurationText().Match(s) is { Success: true } d)
                {
                    foreach (var wrong in new[] { d.Groups[1].Value, d.Groups[1].Value + d.Groups[2].Value.ToUpperInvariant(), "1.5" + d.Groups[2].Value, "0" + d.Groups[2].Value, d.Groups[1].Value + " days" })
                    {
                        yield return ($"{path} = '{wrong}'", Replace(original, path, wrong));
                    }

                    yield return ($"{path} = number", Replace(original, path, int.Parse(d.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (TimeText().IsMatch(s))
                {
                    foreach (var wrong in new[] { "9am", "24:00", "09:60", "0900" })
                    {
                        yield return ($"{path} = '{wrong}'", Replace(original, path, wrong));
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"^-?([0-9]+)([mhdw])$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"^[0-9]{2}:[0-9]{2}$")]
    private static partial Regex TimeText();

    private static void Collect(JsonNode? node, string path, bool inNamedMap, List<(string, JsonNode?, bool)> paths)
    {
        paths.Add((path, node, inNamedMap));
        switch (node)
        {
            case JsonObject obj:
                var named = NamedMaps.Contains(LastKey(path));
                foreach (var (key, child) in obj)
                {
                    Collect(child, path + "/" + key, named, paths);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i], path + "/" + i, false, paths);
                }

                break;
        }
    }

    private static string LastKey(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static JsonObject Change(JsonObject original, string path, Action<JsonNode?> change)
    {
        var copy = (JsonObject)original.DeepClone();
        change(Find(copy, path));
        return copy;
    }

    private static JsonObject Replace(JsonObject original, string path, JsonNode? value)
    {
        var copy = (JsonObject)original.DeepClone();
        var (parent, key) = (Find(copy, path[..path.LastIndexOf('/')]), LastKey(path));
        if (parent is JsonObject obj)
        {
            obj[key] = value;
        }
        else
        {
            ((JsonArray)parent!)[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }

        return copy;
    }

    private static JsonObject Remove(JsonObject original, string path)
    {
        var copy = (JsonObject)original.DeepClone();
        var (parent, key) = (Find(copy, path[..path.LastIndexOf('/')]), LastKey(path));
        if (parent is JsonObject obj)
        {
            obj.Remove(key);
        }
        else
        {
            ((JsonArray)parent!).RemoveAt(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        }

        return copy;
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node![part];
        }

        return node;
    }
}
