using System.Globalization;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>Runs journeys in virtual time through the <see cref="Simulator"/> and prints decisions as one short line each,
/// so tests compare whole timelines: <c>2026-01-12T10:00:00Z c1 moved consult from guide (after 7d)</c>.</summary>
internal static class Sim
{
    /// <summary>The instant most tests start at: a Monday, 10:00 UTC.</summary>
    public static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public static JourneyCatalog Load(params string[] journeys)
    {
        var catalog = JourneyLoader.LoadYaml(journeys.Select((yaml, i) => ($"journey{i + 1}.yaml", yaml)).ToArray());
        Assert.False(catalog.HasErrors, string.Join(Environment.NewLine, catalog.Diagnostics));
        return catalog;
    }

    public static List<JourneyDecision> Run(JourneyCatalog catalog, Script script, DateTimeOffset until) =>
        new Simulator(catalog).Run(script.Inputs, until);

    public static List<JourneyDecision> Run(string journey, Script script, DateTimeOffset until) => Run(Load(journey), script, until);

    /// <summary>Every decision as a line, in the simulator's order (time, customer, sequence).</summary>
    public static List<string> Lines(IEnumerable<JourneyDecision> decisions) => decisions.Select(Line).ToList();

    public static string Line(JourneyDecision d) =>
        $"{At(d.Timestamp)} {d.CustomerId} {d.KindName} {d.Step}" +
        (d.Channel is null ? "" : $" {d.Channel}:{d.Template}") +
        (d.From is null ? "" : $" from {d.From}") +
        (d.Reason is null ? "" : $" ({d.Reason})");

    /// <summary>UTC, to the second, with the fraction only when there is one (tick-exact boundaries show it).</summary>
    public static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Inputs for a simulated run, in the order given (the simulator keeps that order for equal timestamps).</summary>
internal sealed class Script
{
    private readonly List<SegmentInput> _inputs = [];

    public IReadOnlyList<SegmentInput> Inputs => _inputs;

    public Script Track(string user, string type, DateTimeOffset at, params (string Key, object? Value)[] properties)
    {
        var props = properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _inputs.Add(new SegmentInput(_inputs.Count + 1, at, new CustomerEvent(user, type, at, props), null));
        return this;
    }

    public Script Identify(string user, DateTimeOffset at, string? timeZone = null, params (string Key, object? Value)[] traits)
    {
        var values = traits.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _inputs.Add(new SegmentInput(_inputs.Count + 1, at, null, new CustomerProfile(user, values, timeZone, at)));
        return this;
    }
}
