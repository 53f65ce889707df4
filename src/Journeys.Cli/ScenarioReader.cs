using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Journeys.Interchange;
using Journeys.Language.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Journeys.Cli;

/// <summary>Reads scenario files: every problem is an error at <c>file:line:column</c>, all of them, and a file with any
/// is not run. The format is in docs/journey-language.md ("Journey tests").</summary>
internal static class ScenarioReader
{
    private static readonly string[] ScenarioKeys = ["name", "events", "until", "actions", "expect", "forbid"];
    private static readonly string[] ExpectKeys = ["customer", "journey", "step", "decision", "time", "channel", "template", "reason", "case"];
    private static readonly string[] RequiredExpectKeys = ["customer", "journey", "step", "decision", "time"];

    /// <summary>The decisions the engine reports (what <c>simulate</c> prints in <c>decision</c>).</summary>
    internal static readonly string[] DecisionNames = ["entered", "moved", "sent", "suppressed", "deferred", "failed", "goal", "exited", "completed", "updated", "emitted", "called"];

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Scenario? Read(string path, string display, JourneyCatalog catalog, List<string> errors)
    {
        var before = errors.Count;
        YamlMappingNode root;
        using var text = new StreamReader(path);
        var parser = new Parser(text);
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                errors.Add($"{display}:1:1: a scenario file is a mapping with 'events' and 'expect' or 'forbid'");
                return null;
            }

            root = map;
        }
        catch (YamlException ex)
        {
            errors.Add($"{display}:{ex.Start.Line}:{ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some broken flow collections without a position: report where it stopped.
            var at = parser.Current?.End ?? Mark.Empty;
            errors.Add($"{display}:{Math.Max(1, at.Line)}:{Math.Max(1, at.Column)}: the YAML is malformed after this point (an unclosed [ or {{?)");
            return null;
        }

        string At(YamlNode node) => $"{display}:{node.Start.Line}:{node.Start.Column}";
        void Error(YamlNode node, string message) => errors.Add($"{At(node)}: {message}");

        CheckKeys(root, ScenarioKeys, "a scenario", Error);
        var name = Get(root, "name") is YamlScalarNode n ? n.Value ?? "" : Path.GetFileNameWithoutExtension(path);
        DateTimeOffset? until = null;
        if (Get(root, "until") is { } u)
        {
            until = Timestamp(u, "until", Error);
        }

        var inputs = new List<SegmentInput>();
        switch (Get(root, "events"))
        {
            case null:
                Error(root, "missing 'events': a list of Segment events (track, identify), or the path of a JSON lines file");
                break;
            case YamlScalarNode file:
                var eventsPath = Path.Combine(Path.GetDirectoryName(path)!, file.Value ?? "");
                if (!File.Exists(eventsPath))
                {
                    Error(file, $"events file '{file.Value}' does not exist (paths are relative to the scenario file)");
                    break;
                }

                // Read through the library's one file gate (a regular file, strict UTF-8, bounded lines).
                var (fileInputs, fileErrors) = SegmentReader.ReadFile(eventsPath);
                inputs.AddRange(fileInputs);
                errors.AddRange(fileErrors);

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    // Each event is one Segment JSON object; SegmentReader checks it, and its message is placed here.
                    var line = ToJson(item)?.ToJsonString(Json) ?? "null";
                    var (read, bad) = SegmentReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line)), display);
                    inputs.AddRange(read.Select(i => i with { Line = (int)item.Start.Line }));
                    foreach (var problem in bad)
                    {
                        Error(item, problem[(problem.IndexOf(": ", display.Length, StringComparison.Ordinal) + 2)..]);
                    }
                }

                break;
            case var other:
                Error(other, "'events' is a list of Segment events, or the path of a JSON lines file");
                break;
        }

        IReadOnlyList<Journeys.Delivery.IJourneyAction> actions = [];
        switch (Get(root, "actions"))
        {
            case null:
                break;
            case YamlScalarNode file:
                // How the actions steps call answer, as simulate's --actions FILE (a path beside the scenario).
                if (ActionsFile.Read(Path.Combine(Path.GetDirectoryName(path)!, file.Value ?? ""), out var problem) is { } read)
                {
                    actions = read;
                }
                else
                {
                    Error(file, problem + " (paths are relative to the scenario file)");
                }

                break;
            case var other:
                Error(other, "'actions' is the path of an actions file, as simulate's --actions takes");
                break;
        }

        var expected = Patterns(root, "expect", required: true, catalog, At, Error);
        var forbidden = Patterns(root, "forbid", required: false, catalog, At, Error);
        if (Get(root, "expect") is null && Get(root, "forbid") is null)
        {
            Error(root, "a scenario needs 'expect' (decisions that must happen), 'forbid' (decisions that must not), or both");
        }

        return errors.Count > before ? null : new Scenario(name, display, inputs, until, expected, forbidden) { Actions = actions };
    }

    private static List<DecisionPattern> Patterns(YamlMappingNode root, string key, bool required, JourneyCatalog catalog,
        Func<YamlNode, string> at, Action<YamlNode, string> error)
    {
        var patterns = new List<DecisionPattern>();
        if (Get(root, key) is not { } node)
        {
            return patterns;
        }

        if (node is not YamlSequenceNode list)
        {
            error(node, $"'{key}' is a list of decisions, such as - {{ customer: c1, journey: welcome, step: hello, decision: sent, time: \"2026-01-05T10:00:00Z\" }}");
            return patterns;
        }

        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                error(item, $"each item of '{key}' is a decision: a mapping of {string.Join(", ", ExpectKeys)}");
                continue;
            }

            CheckKeys(map, ExpectKeys, $"a decision of '{key}'", error);
            foreach (var missing in required ? RequiredExpectKeys.Where(k => Get(map, k) is null) : [])
            {
                error(map, $"missing '{missing}': an expected decision names {string.Join(", ", RequiredExpectKeys)}");
            }

            if (!required && map.Children.Count == 0)
            {
                error(map, "a forbidden decision names at least one field");
            }

            var journey = Text(map, "journey", error);
            if (journey is not null && catalog.Journeys.All(j => j.Id != journey))
            {
                error(Get(map, "journey")!, $"no journey '{journey}' in the folder; journeys are {string.Join(", ", catalog.Journeys.Select(j => j.Id))}");
            }

            var decision = Text(map, "decision", error);
            if (decision is not null && !DecisionNames.Contains(decision))
            {
                error(Get(map, "decision")!, $"'{decision}' is not a decision; decisions are {string.Join(", ", DecisionNames)}");
            }

            patterns.Add(new DecisionPattern(at(map))
            {
                Customer = Text(map, "customer", error),
                Journey = journey,
                Step = Text(map, "step", error),
                Decision = decision,
                Time = Get(map, "time") is { } t ? Timestamp(t, "time", error) : null,
                Channel = Text(map, "channel", error),
                Template = Text(map, "template", error),
                Reason = Text(map, "reason", error),
                Case = Text(map, "case", error),
            });
        }

        return patterns;
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    private static void CheckKeys(YamlMappingNode map, string[] allowed, string context, Action<YamlNode, string> error)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode s || !allowed.Contains(s.Value))
            {
                error(key, $"unknown key '{(key as YamlScalarNode)?.Value}' in {context}; allowed keys are {string.Join(", ", allowed)}");
            }
        }
    }

    private static string? Text(YamlMappingNode map, string key, Action<YamlNode, string> error)
    {
        switch (Get(map, key))
        {
            case null:
                return null;
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return value;
            case var other:
                error(other, $"'{key}' must be a single value");
                return null;
        }
    }

    private static DateTimeOffset? Timestamp(YamlNode node, string key, Action<YamlNode, string> error)
    {
        if (node is YamlScalarNode { Value: { } text } && SegmentReader.TryParseTimestamp(text, out var value, out var problem))
        {
            return value;
        }

        error(node, $"'{key}' must be a timestamp, {SegmentReader.TimestampForm}");
        return null;
    }

    /// <summary>YAML as JSON by the YAML 1.2 core schema: plain numbers, booleans and nulls are typed; anything quoted is text.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: not ScalarStyle.Plain } quoted => JsonValue.Create(quoted.Value ?? ""),
        YamlScalarNode { Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode { Value: "true" or "True" or "TRUE" } => JsonValue.Create(true),
        YamlScalarNode { Value: "false" or "False" or "FALSE" } => JsonValue.Create(false),
        YamlScalarNode s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !s.Value!.Any(char.IsLetter) => JsonValue.Create(number),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
