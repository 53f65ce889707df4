using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Policy;

/// <summary>Runs small journeys with a policy in virtual time through the simulator.</summary>
internal sealed class PaceHarness(string policyYaml, params (string File, string Yaml)[] journeys)
{
    private readonly List<SegmentInput> _inputs = [];

    /// <summary>A journey entered on <c>poke</c> (re-entry always) whose one step sends and completes.</summary>
    public static (string, string) Poke(string id, string channel = "push", string extra = "", string eventType = "poke") => ($"{id}.yaml", $"""
        journey: {id}
        entry: {"{"} on: {eventType} {"}"}
        reentry: always
        start: send
        steps:
          send:
            send: {"{"} channel: {channel}, template: {id}/t{extra} {"}"}
        """);

    public PaceHarness Event(string user, string type, DateTimeOffset at)
    {
        _inputs.Add(new SegmentInput(_inputs.Count + 1, at, new CustomerEvent(user, type, at), null));
        return this;
    }

    public PaceHarness Identify(string user, DateTimeOffset at, string? zone = null, Dictionary<string, object?>? traits = null)
    {
        _inputs.Add(new SegmentInput(_inputs.Count + 1, at, null, new CustomerProfile(user, traits ?? [], zone, at)));
        return this;
    }

    public List<JourneyDecision> Run(DateTimeOffset? until = null)
    {
        var files = journeys.Append(("policy.yaml", policyYaml)).ToArray();
        var catalog = JourneyLoader.LoadYaml(files);
        Assert.False(catalog.HasErrors, string.Join("\n", catalog.Diagnostics));
        return new Simulator(catalog).Run(_inputs, until);
    }

    public static List<(DecisionKind Kind, DateTimeOffset At, string? Reason)> Sends(IEnumerable<JourneyDecision> decisions, string? user = null) =>
        decisions.Where(d => d.Kind is DecisionKind.Sent or DecisionKind.Suppressed or DecisionKind.Deferred && (user is null || d.CustomerId == user))
            .Select(d => (d.Kind, d.Timestamp, d.Reason)).ToList();
}
