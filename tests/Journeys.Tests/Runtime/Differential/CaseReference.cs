using Journeys.Decisions;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;

namespace Journeys.Tests.Runtime.Differential;

/// <summary>The spec's cases (v2, "Cases: several runs of one journey per customer") for one customer, told as one
/// <see cref="ReferenceInterpreter"/> (one Stateless machine) per key, with the routing written out plainly: an event with
/// a key goes to that key's run; an event without one to every open run; an entering event with a new key starts that
/// key's run unless <c>maxCases</c> runs are open, and one without a key enters nothing; both refusals are reported. Every
/// reference sees every input as time and activity, so guards read the same customer as the runtime's.</summary>
internal sealed class CaseReference
{
    private readonly JourneyCatalog _catalog;
    private readonly JourneyDefinition _journey;
    private readonly string _customer;
    private readonly long _start;
    private readonly ReferenceInterpreter _shadow; // never reached: the customer's activity and traits, for a key-less entry's guard
    private readonly Dictionary<string, ReferenceInterpreter> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _flushed = new(StringComparer.Ordinal);
    private readonly List<Action<ReferenceInterpreter>> _history = [];

    public CaseReference(JourneyCatalog catalog, string customer, long startTicks)
    {
        _catalog = catalog;
        _journey = catalog.Definitions.Single();
        _customer = customer;
        _start = startTicks;
        _shadow = new ReferenceInterpreter(catalog, customer, startTicks);
    }

    /// <summary>Per case key ("" for decisions of no case), the decisions in the order they were made.</summary>
    public Dictionary<string, List<(long At, DecisionKind Kind, string Step)>> Decisions { get; } = new(StringComparer.Ordinal);

    /// <summary>The open runs as <c>key=step</c>, in key order.</summary>
    public List<string> OpenCases =>
        [.. _runs.Where(r => r.Value.IsInside).Select(r => $"{r.Key}={r.Value.State["step:".Length..]}").Order(StringComparer.Ordinal)];

    public void Event(string type, string? key, long at)
    {
        AdvanceTo(at);
        var properties = key is null ? null : new Dictionary<string, object?> { ["t"] = key };
        var entering = _journey.Entry is EventEntry entry && entry.EventType == type;
        var max = _journey.MaxCases;
        if (key is not null && !_runs.ContainsKey(key))
        {
            _runs[key] = Replayed();
        }

        var open = _runs.Count(r => r.Value.IsInside);
        foreach (var (k, run) in _runs)
        {
            var reaches = key is null ? run.IsInside : k == key;
            if (reaches && !run.IsInside && entering && open >= max)
            {
                run.Event(type, at, reaches: false, properties);
                if (run.WouldEnter(type, at, properties))
                {
                    Log(k).Add((at, DecisionKind.Failed, _journey.Start)); // maxCases reached
                }

                continue;
            }

            run.Event(type, at, reaches, properties);
        }

        _shadow.Event(type, at, reaches: false, properties);
        if (key is null && entering && _shadow.WouldEnter(type, at, properties, guardOnly: true))
        {
            Log("").Add((at, DecisionKind.Failed, _journey.Start)); // no key
        }

        _history.Add(r => r.Event(type, at, reaches: false, properties));
        Flush();
    }

    public void Identify(string trait, string? value, long at)
    {
        AdvanceTo(at);
        foreach (var run in _runs.Values.Append(_shadow))
        {
            run.Identify(trait, value, at);
        }

        _history.Add(r => r.Identify(trait, value, at));
        Flush();
    }

    public void AdvanceTo(long at)
    {
        foreach (var run in _runs.Values.Append(_shadow))
        {
            run.AdvanceTo(at);
        }

        _history.Add(r => r.AdvanceTo(at));
        Flush();
    }

    /// <summary>A new key's run, brought to now: every input so far, as time and activity only.</summary>
    private ReferenceInterpreter Replayed()
    {
        var run = new ReferenceInterpreter(_catalog, _customer, _start);
        foreach (var input in _history)
        {
            input(run);
        }

        return run;
    }

    private List<(long At, DecisionKind Kind, string Step)> Log(string key) =>
        Decisions.TryGetValue(key, out var log) ? log : Decisions[key] = [];

    /// <summary>Moves each run's new decisions to its key's log, so a key's decisions and refusals keep their order.</summary>
    private void Flush()
    {
        foreach (var (key, run) in _runs)
        {
            var seen = _flushed.GetValueOrDefault(key);
            if (run.Decisions.Count > seen)
            {
                Log(key).AddRange(run.Decisions.Skip(seen));
                _flushed[key] = run.Decisions.Count;
            }
        }
    }
}
