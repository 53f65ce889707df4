using System.Globalization;
using System.Text.RegularExpressions;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

/// <summary>The policy part of the parser (<c>policy.yaml</c>: tiers, caps, quiet hours) and the helpers both parts share:
/// scalars, lists, durations, times and expressions, each checked with its own diagnostic.</summary>
internal sealed partial class DefinitionParser
{
    // ---- policy ------------------------------------------------------------------------------------------------------

    public PolicyDefinition? ParsePolicy(YMapping root, IReadOnlyCollection<string> journeyIds)
    {
        var before = ErrorCount;
        CheckKeys(root, ["policy"], "policy.yaml");
        if (root["policy"] is not { } policyNode || Map(policyNode, "policy") is not { } body)
        {
            if (root["policy"] is null)
            {
                Missing<object>(root, "policy", "the top-level key of policy.yaml");
            }

            return null;
        }

        CheckKeys(body, PolicyKeys, "policy");
        var tiers = new List<TierDefinition>();
        var tierNames = new List<string>(); // every tier written, also one refused for its condition: a cap naming it is no second error
        if (body["tiers"] is { } tiersNode && Map(tiersNode, "tiers") is { } tierMap)
        {
            foreach (var (name, value) in tierMap.Entries)
            {
                if (name.Value != TierDefinition.Default && !tierNames.Contains(name.Value))
                {
                    tierNames.Add(name.Value);
                }

                if (name.Value == TierDefinition.Default)
                {
                    Error(name.Location, DiagnosticCodes.InvalidValue, "'default' is the tier of customers who match none; it cannot be defined");
                }
                else if (tiers.Any(t => t.Name == name.Value))
                {
                    Error(name.Location, DiagnosticCodes.Duplicate, $"tier '{name.Value}' is defined twice");
                }
                else if (Expr(value, ExpressionScope.Customer) is { } condition)
                {
                    tiers.Add(new TierDefinition(name.Value, condition) { Location = name.Location });
                }
            }
        }

        var caps = new List<FrequencyCap>();
        if (body["frequency"] is { } frequency)
        {
            caps = ParseList(frequency, node => ParseCap(node, tierNames, journeyIds));
        }

        QuietHours? quiet = null;
        if (body["quietHours"] is { } q && Map(q, "quietHours") is { } qm)
        {
            CheckKeys(qm, QuietKeys, "quietHours");
            var from = qm["from"] is { } f ? Time(f, "from") : Missing<object>(qm, "from", "a local time such as 21:00") as TimeOnly?;
            var to = qm["to"] is { } t ? Time(t, "to") : Missing<object>(qm, "to", "a local time such as 08:00") as TimeOnly?;
            if (from is not null && to is not null)
            {
                if (from == to)
                {
                    Error(qm.Location, DiagnosticCodes.InvalidValue, "quietHours 'from' and 'to' are the same time");
                }

                quiet = new QuietHours(from.Value, to.Value) { Location = qm.Location };
            }
        }

        var calendarNames = new List<string>();
        var calendars = body["calendars"] is { } cal ? ParseCalendars(cal, calendarNames) : [];
        (Calendars, CalendarNames) = (calendars, calendarNames); // the journeys, parsed next, name them
        var whenCapped = body["whenCapped"] is { } wc
            ? Enum(wc, "whenCapped", new Dictionary<string, CappedAction> { ["skip"] = CappedAction.Skip, ["defer"] = CappedAction.Defer }) ?? CappedAction.Skip
            : CappedAction.Skip;
        var deferFor = body["deferFor"] is { } df ? PositiveDuration(df, "deferFor") ?? TimeSpan.FromDays(7) : TimeSpan.FromDays(7);
        if (ErrorCount > before)
        {
            return null;
        }

        return new PolicyDefinition { Tiers = tiers, Caps = caps, QuietHours = quiet, WhenCapped = whenCapped, DeferFor = deferFor, Calendars = calendars, Location = root.Location };
    }

    private FrequencyCap? ParseCap(YNode node, List<string> tierNames, IReadOnlyCollection<string> journeyIds)
    {
        if (Map(node, "frequency cap") is not { } map)
        {
            return null;
        }

        CheckKeys(map, CapKeys, "a frequency cap");
        string? tier = null;
        if (map["tier"] is { } t && Name(t, "tier") is { } tierName)
        {
            var known = tierNames.Append(TierDefinition.Default).ToList();
            if (!known.Contains(tierName))
            {
                Error(t.Location, DiagnosticCodes.UnknownTier,
                    $"cap names unknown tier '{tierName}'{Hint(tierName, known)}; tiers are {string.Join(", ", known)}");
            }

            tier = tierName;
        }

        var channel = map["channel"] is { } c ? Name(c, "channel") : null;
        string? journey = null;
        if (map["journey"] is { } j && Name(j, "journey") is { } journeyId)
        {
            if (!journeyIds.Contains(journeyId))
            {
                Error(j.Location, DiagnosticCodes.InvalidValue,
                    $"cap names unknown journey '{journeyId}'{Hint(journeyId, journeyIds)}");
            }

            journey = journeyId;
        }

        var max = map["max"] is { } mx ? Int(mx, "max", 0, 1_000_000) : Missing<object>(map, "max", "the most messages per window") as int?;
        var per = map["per"] is { } p ? PositiveDuration(p, "per") : Missing<object>(map, "per", "a window such as 7d") as TimeSpan?;
        return max is null || per is null ? null : new FrequencyCap { Tier = tier, Channel = channel, Journey = journey, Max = max.Value, Per = per.Value, Location = map.Location };
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    private int ErrorCount => diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);

    private void Error(SourceLocation location, string code, string message) =>
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, location, code, message));

    private void Warning(SourceLocation location, string code, string message) =>
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, location, code, message));

    private static string Hint(string word, IEnumerable<string> candidates) =>
        Suggest.Closest(word, candidates) is { } s ? $" (did you mean '{s}'?)" : "";

    private T? Missing<T>(YMapping map, string key, string what)
        where T : class
    {
        Error(map.Location, DiagnosticCodes.MissingKey, $"missing '{key}': {what}");
        return null;
    }

    private void CheckKeys(YMapping map, string[] allowed, string context)
    {
        foreach (var key in map.Entries.Select(e => e.Key))
        {
            if (!allowed.Contains(key.Value))
            {
                Error(key.Location, DiagnosticCodes.UnknownKey,
                    $"unknown key '{key.Value}' in {context}{Hint(key.Value, allowed)}; allowed keys are {string.Join(", ", allowed)}");
            }
        }
    }

    private YMapping? Map(YNode node, string what)
    {
        if (node is YMapping m)
        {
            return m;
        }

        Error(node.Location, DiagnosticCodes.InvalidValue, $"{what} must be a mapping (key: value), not {node.Kind}");
        return null;
    }

    private YScalar? Scalar(YNode node, string what)
    {
        if (node is YScalar s)
        {
            return s;
        }

        Error(node.Location, DiagnosticCodes.InvalidValue, $"'{what}' must be a single value, not {node.Kind}");
        return null;
    }

    private List<T> ParseList<T>(YNode node, Func<YNode, T?> parse)
        where T : class
    {
        var items = node is YSequence seq ? seq.Items : [node];
        var result = new List<T>(items.Count);
        foreach (var item in items)
        {
            if (parse(item) is { } parsed)
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    private string? Name(YNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(s.Value) || s.IsPlainNull)
        {
            Error(s.Location, DiagnosticCodes.InvalidValue, $"'{what}' must not be empty");
            return null;
        }

        return s.Value;
    }

    private List<string>? Names(YNode node, string what)
    {
        var items = node is YSequence seq ? seq.Items : [node];
        var names = items.Select(i => Name(i, what)).ToList();
        if (names.Count == 0)
        {
            Error(node.Location, DiagnosticCodes.InvalidValue, $"'{what}' must list at least one event type");
        }

        return names.Any(n => n is null) ? null : names.Select(n => n!).ToList();
    }

    private int? Int(YNode node, string what, int min, int max)
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        if (int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Error(s.Location, DiagnosticCodes.InvalidValue, $"'{what}' must be a whole number from {min} to {max}, not '{s.Value}'");
        return null;
    }

    private bool? Bool(YNode node, string what) =>
        Enum(node, what, new Dictionary<string, bool> { ["true"] = true, ["false"] = false });

    private T? Enum<T>(YNode node, string what, Dictionary<string, T> values)
        where T : struct
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        if (values.TryGetValue(s.Value, out var v))
        {
            return v;
        }

        Error(s.Location, DiagnosticCodes.InvalidValue,
            $"'{what}' must be one of {string.Join(", ", values.Keys)}, not '{s.Value}'{Hint(s.Value, values.Keys)}");
        return null;
    }

    private TimeSpan? DurationValue(YNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        if (Duration.TryParse(s.Value, out var value, out var error))
        {
            return value;
        }

        Error(s.Location, DiagnosticCodes.BadDuration, $"'{what}': {error}");
        return null;
    }

    private TimeSpan? PositiveDuration(YNode node, string what)
    {
        var value = DurationValue(node, what);
        if (value is { } v && v <= TimeSpan.Zero)
        {
            Error(node.Location, DiagnosticCodes.BadDuration, $"'{what}' must be a positive duration, not '{((YScalar)node).Value}'");
            return null;
        }

        return value;
    }

    private TimeOnly? Time(YNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(s.Value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return t;
        }

        Error(s.Location, DiagnosticCodes.InvalidValue, $"'{what}' must be a local time of day such as \"09:00\", not '{s.Value}'");
        return null;
    }

    private JourneyExpression? Expr(YNode node, ExpressionScope scope)
    {
        if (node is YScalar s && !s.IsPlainNull)
        {
            return compiler.Compile(s.Value, s.Locate, scope, expectBool: true, diagnostics);
        }

        Error(node.Location, DiagnosticCodes.InvalidValue, $"expected an expression (a quoted string), not {node.Kind}");
        return null;
    }
}
