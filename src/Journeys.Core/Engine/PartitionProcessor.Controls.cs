using Journeys.Decisions;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Operators' controls, run by the partition that owns the customer (see <see cref="PartitionControl{T}"/>).</summary>
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
            while (journey.Id == journeyId && customer.RunOf(journey.Index) is { } instance) // a journey with cases: every run
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

    /// <summary>A copy of the customer's state (null for a customer the partition does not hold), taken on the worker.</summary>
    public CustomerView? Inspect(string customerId)
    {
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return null;
        }

        static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
        var runs = new List<CustomerRun>();
        var timers = new List<CustomerTimer>();
        foreach (var journey in _model.Journeys)
        {
            for (var at = customer.RunOf(journey.Index); at is { } run; at = run.NextCase)
            {
                var step = journey.Steps[run.Step];
                runs.Add(new CustomerRun(journey.Id, run.Version, step.Name, At(run.EnteredTicks), At(run.ArrivedTicks), run.Converted) { Case = run.Case });
                if (step.NextTimer(run.ArrivedTicks, run.EnteredTicks, customer.TimeZoneIn(_model.Customers)) is { } next && next.Due != CalendarTicks.Never)
                {
                    timers.Add(new CustomerTimer(At(next.Due), journey.Id, step.Name, next.Timer.Label.Text));
                }
            }
        }

        foreach (var held in customer.Deferred ?? [])
        {
            var journey = _model.Journeys[held.Journey];
            timers.Add(new CustomerTimer(At(held.RetryAtTicks), journey.Id, journey.Steps[held.Step].Name, "held send: " + (held.Reason ?? "deferred")));
        }

        var traits = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in customer.Traits)
        {
            traits[name] = value.ToObject();
        }

        return new CustomerView(customer.Id, customer.TierIn(_model.Customers), customer.TimeZoneIn(_model.Customers).Id, At(customer.FirstSeenTicks),
            traits, runs, [.. timers.OrderBy(t => t.DueAt)],
            [.. customer.SendLog.Entries().OrderBy(e => e.Ticks).Select(e => new CustomerSend(At(e.Ticks), _model.ChannelNames[e.Channel], _model.Journeys[e.Journey].Id))]);
    }
}

