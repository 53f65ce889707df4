using Journeys.Analytics;
using Journeys.Decisions;
using Journeys.Engine;
using Microsoft.Extensions.Options;

namespace Journeys.Dashboard;

/// <summary>What the dashboard counts, from the engine's committed decisions (a batch subscriber, off the per-event path):
/// the funnel (<see cref="JourneyFunnel"/>, the counter behind <c>journeys report</c>) and, per customer, their latest
/// decisions for the lookup's timeline, bounded by <see cref="JourneysDashboardOptions"/>. Counts start when the
/// recorder is made (when the dashboard is mapped); they are not read back from the store.</summary>
internal sealed class DashboardRecorder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Timeline>> _timelines = new(StringComparer.Ordinal);
    private readonly LinkedList<Timeline> _recent = new(); // most recently heard of first
    private readonly int _customers;
    private readonly int _perCustomer;
    private readonly IDisposable _subscription;

    public DashboardRecorder(JourneyEngine engine, IOptions<JourneysDashboardOptions> options)
    {
        Engine = engine;
        _customers = options.Value.TimelineCustomers;
        _perCustomer = options.Value.TimelineDecisionsPerCustomer;
        _subscription = engine.SubscribeBatches(Record);
    }

    public JourneyEngine Engine { get; }

    public JourneyFunnel Funnel { get; } = new();

    /// <summary>The customer's latest decisions, oldest first (empty when none is kept).</summary>
    public IReadOnlyList<JourneyDecision> TimelineOf(string customerId)
    {
        lock (_gate)
        {
            return _timelines.TryGetValue(customerId, out var node) ? [.. node.Value.Decisions] : [];
        }
    }

    private void Record(IReadOnlyList<JourneyDecision> batch)
    {
        Funnel.AddRange(batch);
        lock (_gate)
        {
            foreach (var decision in batch)
            {
                if (!_timelines.TryGetValue(decision.CustomerId, out var node))
                {
                    node = _recent.AddFirst(new Timeline(decision.CustomerId));
                    _timelines[decision.CustomerId] = node;
                    if (_timelines.Count > _customers)
                    {
                        _timelines.Remove(_recent.Last!.Value.CustomerId);
                        _recent.RemoveLast();
                    }
                }
                else if (node != _recent.First)
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                }

                node.Value.Decisions.Enqueue(decision);
                if (node.Value.Decisions.Count > _perCustomer)
                {
                    node.Value.Decisions.Dequeue();
                }
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private sealed record Timeline(string CustomerId)
    {
        public Queue<JourneyDecision> Decisions { get; } = new();
    }
}
