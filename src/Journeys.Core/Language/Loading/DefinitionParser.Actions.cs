using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

// A step's actions besides its sends: `set:` (traits stored on arrival) and `emit:` (events published on arrival).
internal sealed partial class DefinitionParser
{
    private static readonly string[] EmitKeys = ["event", "properties"];

    /// <summary>Event names the engine gives meaning to (<c>$done</c>, <c>$failed</c>): every name starting with
    /// <c>$</c> is kept for them, so a step can never publish one.</summary>
    internal const string ReservedEventPrefix = "$";

    private List<TraitAssignment> ParseSet(YNode node, string step)
    {
        var set = new List<TraitAssignment>();
        if (Map(node, $"set of step '{step}'") is not { } map)
        {
            return set;
        }

        if (map.Entries.Count == 0)
        {
            Error(map.Location, DiagnosticCodes.InvalidValue, $"step '{step}' has an empty 'set': name at least one trait, as set: {{ stage: \"'vip'\" }}");
        }

        foreach (var (key, value) in map.Entries)
        {
            if (key.Value.StartsWith("customer.", StringComparison.Ordinal))
            {
                Error(key.Location, DiagnosticCodes.InvalidValue,
                    $"'set' names traits without 'customer.': write {key.Value["customer.".Length..]}, not {key.Value}");
                continue;
            }

            if (key.Value is "id" or "tier" or "timeZone")
            {
                Error(key.Location, DiagnosticCodes.InvalidValue,
                    $"'{key.Value}' is not a trait a step can set: customer.id is the customer's, customer.tier is derived from policy.tiers, and the time zone comes with identify");
                continue;
            }

            if (value is YScalar { IsPlainNull: true })
            {
                set.Add(new TraitAssignment(key.Value, null) { Location = key.Location });
            }
            else if (ValueExpr(value, ExpressionScope.Customer | ExpressionScope.Run) is { } expression)
            {
                set.Add(new TraitAssignment(key.Value, expression) { Location = key.Location });
            }
        }

        return set;
    }

    /// <summary>The name of a customer event an entry, exit or goal waits for: names starting with '$' are the engine's own
    /// answers to a step ($done, $failed), which never reach an entry, exit or goal.</summary>
    private string? EventName(YNode node, string what)
    {
        var type = Name(node, what);
        if (type is not null && type.StartsWith(ReservedEventPrefix, StringComparison.Ordinal))
        {
            Error(node.Location, DiagnosticCodes.InvalidValue,
                $"'{type}' is reserved: names starting with '$' ($done, $failed) answer a step's call or send and only a step's transitions take them; use the customer event that shows it, such as {type[1..]}");
            return null;
        }

        return type;
    }

    private EmitDefinition? ParseEmit(YNode node)
    {
        if (Map(node, "emit") is not { } map)
        {
            return null;
        }

        CheckKeys(map, EmitKeys, "emit");
        var type = map["event"] is { } e ? Name(e, "event") : Missing<string>(map, "event", "the type of the event to publish, such as vip_joined");
        if (type is not null && type.StartsWith(ReservedEventPrefix, StringComparison.Ordinal))
        {
            Error(map["event"]!.Location, DiagnosticCodes.InvalidValue,
                $"'{type}' is reserved: names starting with '$' ($done, $failed) are the engine's own; emit an event of your own name, such as {type[1..]}_done");
            type = null;
        }

        var properties = ExpressionMap(map["properties"], "emit properties");
        return type is null || properties is null ? null : new EmitDefinition(type, properties) { Location = map.Location };
    }

    /// <summary>Names to value expressions (emit's <c>properties</c>, a call's <c>with</c>), read over the customer and the
    /// run: empty when <paramref name="node"/> is absent; null when it is not a map or any value is bad (each bad one
    /// reported).</summary>
    private List<KeyValuePair<string, JourneyExpression>>? ExpressionMap(YNode? node, string what)
    {
        var expressions = new List<KeyValuePair<string, JourneyExpression>>();
        if (node is null)
        {
            return expressions;
        }

        if (Map(node, what) is not { } map)
        {
            return null;
        }

        var ok = true;
        foreach (var (key, value) in map.Entries)
        {
            if (ValueExpr(value, ExpressionScope.Customer | ExpressionScope.Run) is { } expression)
            {
                expressions.Add(new(key.Value, expression));
            }
            else
            {
                ok = false;
            }
        }

        return ok ? expressions : null;
    }

    /// <summary>An expression whose value is used (not only whether it holds): a trait set, an event property.</summary>
    private JourneyExpression? ValueExpr(YNode node, ExpressionScope scope)
    {
        if (node is YScalar s && !s.IsPlainNull)
        {
            return compiler.Compile(s.Value, s.Locate, scope, expectBool: false, diagnostics);
        }

        Error(node.Location, DiagnosticCodes.InvalidValue, $"expected an expression (a quoted string such as \"'vip'\" or \"customer.points + 200\"), not {node.Kind}");
        return null;
    }
}
