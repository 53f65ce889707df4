using Journeys.State;

namespace Journeys.Engine;

/// <summary>Taking a customer out of the partition: an operator's erase (<see cref="JourneyEngine.ForgetAsync"/>), a merge,
/// and idle eviction all detach the customer the same way.</summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>Erases a customer from the partition's memory: its table slot, every timer queued for it, its place among
    /// the changes to save. Returns the ids of the journeys it had runs in (no decision is made: a decision would carry the
    /// id being erased), or null for a customer the partition does not hold.</summary>
    public IReadOnlyList<string>? Forget(string customerId, long nowTicks)
    {
        AdvanceTo(nowTicks);
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return null;
        }

        var runs = new List<string>();
        foreach (var journey in _model.Journeys)
        {
            if (customer.MemoryOf(journey.Index).HasRun && !runs.Contains(journey.Id))
            {
                runs.Add(journey.Id);
            }
        }

        Detach(customer);
        return runs;
    }

    /// <summary>Removes a customer from the table, its timers from the queue (one pass) and, when changed since the last
    /// save, from the changes to save: nothing in the partition refers to it afterwards.</summary>
    private void Detach(CustomerState customer)
    {
        _customers.Remove(customer);
        _schedules?.Removed(customer);
        _queue.RemoveWhere(e => ReferenceEquals(e.Customer, customer));
        if (customer.Dirty)
        {
            customer.Dirty = false;
            _dirty?.Remove(customer);
        }

        _model.Migrations.Take(customer);
    }
}
