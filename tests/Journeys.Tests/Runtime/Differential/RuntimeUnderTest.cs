using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Runtime.Differential;

/// <summary>The compiled runtime (<see cref="PartitionProcessor"/>) for one customer in a one-journey catalog, read back the
/// way <see cref="ReferenceInterpreter"/> reports: the decisions and the state.</summary>
internal sealed class RuntimeUnderTest : IDecisionSink
{
    private readonly PartitionProcessor _processor;
    private readonly CompiledJourney _journey;
    private readonly string _customerId;

    public RuntimeUnderTest(JourneyCatalog catalog, string customerId)
    {
        var model = new RuntimeModel(catalog);
        _journey = model.Journeys.Single();
        _customerId = customerId;
        _processor = new PartitionProcessor(model, this, _ => { });
    }

    public List<JourneyDecision> All { get; } = [];

    public List<(long At, DecisionKind Kind, string Step)> Decisions => All.Select(d => (d.Timestamp.UtcTicks, d.Kind, d.Step)).ToList();

    public string State
    {
        get
        {
            if (_processor.Customers.TryGetValue(_customerId, out var customer) && customer.RunOf(0) is { } instance)
            {
                return "step:" + _journey.Steps[instance.Step].Name;
            }

            return All.Count == 0 ? "not-entered" : All[^1] switch
            {
                { Kind: DecisionKind.Completed } => "completed",
                { Kind: DecisionKind.Exited, Reason: { } r } when r.StartsWith("goal:", StringComparison.Ordinal) => "converted",
                { Kind: DecisionKind.Exited } => "exited",
                var d => $"outside after '{d.KindName}'",
            };
        }
    }

    public void Event(string type, long at, IReadOnlyDictionary<string, object?>? properties = null) =>
        _processor.Process(new CustomerEvent(_customerId, type, new DateTimeOffset(at, TimeSpan.Zero), properties), at);

    /// <summary>A journey with cases: the open runs, as <c>key=step</c>, in key order.</summary>
    public List<string> OpenCases
    {
        get
        {
            var open = new List<string>();
            if (_processor.Customers.TryGetValue(_customerId, out var customer))
            {
                for (var at = customer.RunOf(0); at is { } run; at = run.NextCase)
                {
                    open.Add($"{run.Case}={_journey.Steps[run.Step].Name}");
                }
            }

            return [.. open.Order(StringComparer.Ordinal)];
        }
    }

    public void Identify(string trait, string? value, long at) =>
        _processor.Identify(new CustomerProfile(_customerId, new Dictionary<string, object?> { [trait] = value }, null, new DateTimeOffset(at, TimeSpan.Zero)), at);

    public void AdvanceTo(long at) => _processor.AdvanceTo(at);

    public void Emit(JourneyDecision decision) => All.Add(decision);
}
