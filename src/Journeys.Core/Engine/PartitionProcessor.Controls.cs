using Journeys.Decisions;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Operators' controls, run by the partition that owns the customer (see <see cref="PartitionControl"/>).</summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>Ends the customer's run of every version of <paramref name="journeyId"/>, as an exit with the reason
    /// <c>removed</c> (an <c>exited</c> decision; held sends dropped). Re-entry then follows the journey's <c>reentry</c>
    /// rule as after any exit. False when the customer is unknown or has no run of the journey.</summary>
    public bool RemoveFromJourney(string customerId, string journeyId, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock.Ticks;
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return false;
        }

        var removed = false;
        foreach (var journey in _model.Journeys)
        {
            if (journey.Id == journeyId && customer.MemoryOf(journey.Index).Instance is { } instance)
            {
                _interpreter.Leave(customer, journey, instance, journey.Steps[instance.Step].Name, DecisionReason.Removed, nowTicks);
                removed = true;
            }
        }

        if (removed)
        {
            MarkDirty(customer);
        }

        return removed;
    }
}
