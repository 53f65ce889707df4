using Journeys.Compilation;
using Journeys.Inspection;
using Journeys.Interpretation;
using Journeys.State;

namespace Journeys.Timers;

/// <summary>The timer stage: one queue of a partition's timers, and what the journey timers mean when they fire — a
/// step's <c>after</c> moves the run on, an <c>inactive</c> entry's quiet period ends (or is waited for again from the
/// last activity), a <c>date</c> entry's day comes (and the next one is set). Timers of the stages above (held sends,
/// version moves) are queued here and fired by the dispatcher.</summary>
internal sealed class JourneyTimers(RuntimeModel model, JourneyInterpreter interpreter, PartitionClock clock)
{
    private readonly TimerQueue _queue = new();

    /// <summary>The queue itself (the dispatcher takes due timers from it).</summary>
    public TimerQueue Queue => _queue;

    /// <summary>Queues a timer; one due past the calendar's end (<see cref="CalendarTicks.Never"/>) never fires, so it is not queued.</summary>
    public void Schedule(TimerEntry entry)
    {
        if (!CalendarTicks.IsNever(entry.DueTicks))
        {
            _queue.Enqueue(entry);
        }
    }

    /// <summary>Arms the run's step timer for its current arrival.</summary>
    public void ArmStep(CustomerState customer, CompiledJourney journey, JourneyInstance instance, long dueTicks) =>
        Schedule(new TimerEntry(dueTicks, customer, journey.Index, TimerKind.Step, instance.StepToken));

    /// <summary>Re-arms a restored customer's journey timers: step timers from their arrival, pending entry checks.</summary>
    public void Adopt(CustomerState customer, Func<CustomerState, int, bool> migrating)
    {
        for (var j = 0; j < model.Journeys.Length; j++)
        {
            var journey = model.Journeys[j];
            for (var at = customer.RunOf(j); at is { } instance; at = instance.NextCase) // one run, or a journey's cases
            {
                if (journey.Steps[instance.Step] is { Timers.Length: > 0 } step && !migrating(customer, j) &&
                    step.NextTimer(instance.ArrivedTicks, instance.EnteredTicks, customer.TimeZoneIn(model.Customers)) is { } timer)
                {
                    ArmStep(customer, journey, instance, timer.Due); // due times are computed again, not stored
                }
            }

            var pending = customer.MemoryOf(j).PendingEntryTicks;
            var kind = journey.Entry switch { EntryKind.Date => TimerKind.Date, EntryKind.Inactive => TimerKind.Inactivity, _ => (TimerKind?)null };
            if (pending != 0 && kind is { } timed)
            {
                Schedule(new TimerEntry(pending, customer, j, timed, pending));
            }
        }
    }

    /// <summary>A step's <c>after</c> timer: moves the run on, unless the customer moved on or left since.</summary>
    public void FireStep(TimerEntry entry)
    {
        var customer = entry.Customer;
        var at = customer.RunOf(entry.Journey);
        while (at is { } candidate && candidate.StepToken != entry.Token)
        {
            at = candidate.NextCase; // a journey with cases: the run the timer was set for (tokens name the entry)
        }

        if (at is not { } instance)
        {
            return; // the customer moved on or left since
        }

        var journey = model.Journeys[entry.Journey];
        var step = journey.Steps[instance.Step];
        if (step.NextTimer(instance.ArrivedTicks, instance.EnteredTicks, customer.TimeZoneIn(model.Customers)) is not { } next)
        {
            return; // a run resumed at a step of a new version without timers
        }

        if (next.Due > entry.DueTicks)
        {
            ArmStep(customer, journey, instance, next.Due); // the customer's zone changed since: an 'until' now comes later
            return;
        }

        interpreter.Move(customer, journey, instance, step, next.Timer.Target, next.Timer.Label, entry.DueTicks);
    }

    /// <summary>An <c>inactive</c> entry's check: enters the customer when the quiet period has run, else waits again.</summary>
    public void FireInactivity(TimerEntry entry)
    {
        if (!TakePendingEntry(entry))
        {
            return;
        }

        var (customer, now, journey) = (entry.Customer, entry.DueTicks, model.Journeys[entry.Journey]);
        var due = CalendarTicks.Add(LastActivity(customer, entry.Journey), journey.InactiveForTicks);
        if (due > now)
        {
            ScheduleInactivity(customer, entry.Journey, due); // activity since: wait again from the last one
            return;
        }

        if (JourneyInterpreter.MayEnter(customer, journey, now))
        {
            interpreter.Enter(customer, journey, now);
        }

        // Further entries need new activity first: the next quiet period starts at the next activity.
        customer.UpdateMemoryOf(entry.Journey).InactivityWaitsForActivity = true;
    }

    /// <summary>A <c>date</c> entry's day: enters the customer, and sets the next occurrence.</summary>
    public void FireDate(TimerEntry entry)
    {
        if (!TakePendingEntry(entry))
        {
            return;
        }

        var (customer, now, journey) = (entry.Customer, entry.DueTicks, model.Journeys[entry.Journey]);
        if (JourneyInterpreter.MayEnter(customer, journey, now))
        {
            interpreter.Enter(customer, journey, now);
        }

        ScheduleDate(customer, entry.Journey, now);
    }

    /// <summary>An entry check's timer that is still the customer's pending one (not replaced since): clears it and returns
    /// true; false for a stale timer.</summary>
    private static bool TakePendingEntry(TimerEntry entry)
    {
        if (entry.Customer.MemoryOf(entry.Journey).PendingEntryTicks != entry.Token)
        {
            return false;
        }

        entry.Customer.UpdateMemoryOf(entry.Journey).PendingEntryTicks = 0;
        return true;
    }

    /// <summary>Sets the check of an <c>inactive</c> entry at <paramref name="due"/> (none past the calendar's end).</summary>
    public void ScheduleInactivity(CustomerState customer, int journey, long due)
    {
        if (CalendarTicks.IsNever(due))
        {
            customer.UpdateMemoryOf(journey).PendingEntryTicks = 0; // the quiet period ends past the calendar: no check
            return;
        }

        customer.UpdateMemoryOf(journey).PendingEntryTicks = due;
        Schedule(new TimerEntry(due, customer, journey, TimerKind.Inactivity, due));
    }

    /// <summary>The newest event of an <c>inactive</c> entry's types, or when the customer was first seen if none.</summary>
    private long LastActivity(CustomerState customer, int journey)
    {
        long last = 0;
        foreach (var slot in model.InactiveSlots[journey])
        {
            if (customer.Activity.LastSeen(slot) is { } seen && seen > last)
            {
                last = seen;
            }
        }

        return last == 0 ? customer.FirstSeenTicks : last;
    }

    /// <summary>Called for tracked activity of an <c>inactive</c> entry's types. The pending check normally stays (it
    /// re-reads the last activity when it fires), but it moves earlier when the activity shows the quiet period started
    /// before the check assumed (a back-dated event older than first-seen), and it is re-armed when it waits for activity
    /// after an entry. A check is never set in the partition's past.</summary>
    public void RearmInactivity(CustomerState customer, int journey, long activityTicks)
    {
        ref var memory = ref customer.UpdateMemoryOf(journey); // ScheduleInactivity below changes this same journey's: no move
        var due = Math.Max(CalendarTicks.Add(LastActivity(customer, journey), model.Journeys[journey].InactiveForTicks), clock.Ticks);
        if (memory.InactivityWaitsForActivity)
        {
            if (activityTicks > memory.LastEntryTicks)
            {
                memory.InactivityWaitsForActivity = false;
                ScheduleInactivity(customer, journey, due);
            }
        }
        else if (memory.PendingEntryTicks == 0 || due < memory.PendingEntryTicks)
        {
            ScheduleInactivity(customer, journey, due);
        }
    }

    /// <summary>Sets the next occurrence of a <c>date</c> entry from the customer's trait, after <paramref name="now"/>.</summary>
    public void ScheduleDate(CustomerState customer, int journey, long now)
    {
        var compiled = model.Journeys[journey];
        var next = compiled.NextDate(customer.GetTrait(compiled.DateTrait!), customer.TimeZoneIn(model.Customers), now);
        if (next is not null || customer.MemoryOf(journey).PendingEntryTicks != 0) // no date, none before: no memory to add
        {
            customer.UpdateMemoryOf(journey).PendingEntryTicks = next ?? 0;
        }

        if (next is { } due)
        {
            Schedule(new TimerEntry(due, customer, journey, TimerKind.Date, due));
        }
    }
}
