using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

/// <summary>The cases part of the parser: a journey's <c>case:</c> key and its <c>maxCases:</c> limit.</summary>
internal sealed partial class DefinitionParser
{
    /// <summary>The most runs of a journey with <c>case:</c> a customer may have open at once when <c>maxCases</c> is not written.</summary>
    public const int DefaultMaxCases = 100;

    /// <summary>Reads <c>case:</c> (an expression over the entering event; only with an <c>on:</c> entry) and
    /// <c>maxCases:</c> (a positive whole number, only with <c>case:</c>).</summary>
    private (JourneyExpression? Case, int MaxCases) ParseCases(YMapping root, EntryDefinition? entry)
    {
        JourneyExpression? key = null;
        if (root["case"] is { } c)
        {
            if (c is YScalar s && !s.IsPlainNull)
            {
                key = compiler.Compile(s.Value, s.Locate, ExpressionScope.CustomerAndEvent, expectBool: false, diagnostics);
            }
            else
            {
                Error(c.Location, DiagnosticCodes.InvalidValue,
                    $"'case' must be an expression over the entering event (a quoted string) such as event.ticketId, not {c.Kind}");
            }

            if (entry is not null and not EventEntry)
            {
                Error(c.Location, DiagnosticCodes.InvalidValue,
                    "'case' needs an 'on:' entry: the entering event's key names the run, and a when, inactive or date entry has no event " +
                    "to read it from; write entry: { on: <event> } or remove 'case'");
            }
        }

        var max = DefaultMaxCases;
        if (root["maxCases"] is { } m)
        {
            if (Scalar(m, "maxCases") is { } ms)
            {
                if (int.TryParse(ms.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1)
                {
                    max = n;
                }
                else
                {
                    Error(ms.Location, DiagnosticCodes.InvalidValue,
                        $"'maxCases' must be a positive whole number (the most runs open at once per customer, default {DefaultMaxCases}), not '{ms.Value}'");
                }
            }

            if (root["case"] is null)
            {
                Error(m.Location, DiagnosticCodes.InvalidValue,
                    "'maxCases' limits the runs of a journey with 'case:', and this journey has none; add case: event.<property> or remove maxCases");
            }
        }

        return (key, max);
    }
}
