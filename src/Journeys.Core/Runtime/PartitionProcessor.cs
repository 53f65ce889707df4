using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Journeys.Definitions;
using Journeys.Delivery;
using Journeys.Expressions;
using Journeys.Templates;

namespace Journeys.Runtime;

/// <summary>The per-event path: applies events, profile updates and due timers to the customers of one partition.
/// Single-threaded by design (one worker owns a partition), so nothing here locks. Every method takes the time it runs
/// at: the engine passes its <see cref="TimeProvider"/>'s time captured at enqueue, simulation passes virtual time.
/// Hot path: an event that touches no journey and no aggregate, for a settled customer, costs an event-type lookup and a
/// customer-table slot, and allocates nothing (see <see cref="CustomerTable"/> and <see cref="ProcessBatch"/>).</summary>
internal sealed partial class PartitionProcessor
{
    private const int MaxMovesPerArrival = 64; // arrival branches that loop back are cut here

    private readonly RuntimeModel _model;
    private readonly IDecisionSink _decisions;
    private readonly Action<OutboundMessage> _deliver;
    private readonly ISendGate _gate;
    private readonly CustomerTable _customers = new();
    private readonly TimerQueue _timers = new();
    private readonly EvaluationContext _ctx = new();
    private long _clock; // never goes backwards, whatever order callers' clocks were read in
    private bool _derivingTier;
    private long _decisionSeq;

    private readonly List<CustomerState>? _dirty; // null when no store wants changes

    public PartitionProcessor(RuntimeModel model, IDecisionSink decisions, Action<OutboundMessage> deliver, bool trackChanges = false, ISendGate? gate = null)
    {
        _dirty = trackChanges ? [] : null;
        _model = model;
        _decisions = decisions;
        _deliver = deliver;
        _gate = gate ?? new Policy.PaceGate(model);
        _ctx.Rules = model.Rules;
        _ctx.DeriveTier = DeriveTier;
    }

    /// <summary>The customers this partition owns.</summary>
    public CustomerTable Customers => _customers;

    public int PendingTimers => _timers.Count;

    /// <summary>The due time of the earliest timer, or null.</summary>
    public long? NextDueTicks => _timers.TryPeek(out var e) ? e.DueTicks : null;

    // ---- inputs ----------------------------------------------------------------------------------------------------

    /// <summary>The most due timers one <see cref="AdvanceTo"/> fires (default: no limit). The engine sets its catch-up
    /// limit here, so after an outage a partition works through its overdue timers in turns between live inputs.</summary>
    public int TimersPerTurn { get; init; } = int.MaxValue;

    /// <summary>A send decided at a time more than this before the partition's clock (a timer fired late, in a catch-up)
    /// is suppressed as <c>stale</c> (default: no limit).</summary>
    public long MaxSendLatenessTicks { get; init; } = long.MaxValue;

    /// <summary>True when the last <see cref="AdvanceTo"/> stopped at <see cref="TimersPerTurn"/> with timers still due.</summary>
    public bool Behind { get; private set; }

    /// <summary>Fires the timers due at or before <paramref name="nowTicks"/>, each at its own due time, in order — at
    /// most <see cref="TimersPerTurn"/> of them (see <see cref="Behind"/>).</summary>
    public void AdvanceTo(long nowTicks)
    {
        _clock = Math.Max(_clock, nowTicks);
        var budget = TimersPerTurn;
        while (_timers.TryPeek(out var entry) && entry.DueTicks <= nowTicks)
        {
            if (budget-- == 0)
            {
                Behind = true;
                return;
            }

            _timers.Dequeue();
            Fire(entry);
        }

        Behind = false;
        if (_timers.IsIndexedByCustomer)
        {
            _timers.DropCustomerIndex(); // caught up: the index FireDueOf used is not needed any more
        }
    }

    /// <summary>While <see cref="Behind"/>, fires the due timers of one customer, in due order, before its input is
    /// applied: a customer's input never overtakes its own timers. The first call while behind indexes the timer heap by
    /// customer (one pass); from then on a customer's due timers cost a walk over that customer's own timers, so live
    /// input during a catch-up of millions of overdue timers does not scan the heap per event.</summary>
    private void FireDueOf(string customerId, long nowTicks)
    {
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return;
        }

        _timers.IndexByCustomer();
        while (_timers.TryTakeDueOf(customer, nowTicks, out var due))
        {
            Fire(due);
        }
    }

    /// <summary>Applies an event; false when it changed nothing (no journey or aggregate reads its type, and no
    /// <c>when</c> entry fired).</summary>
    public bool Process(CustomerEvent e, long nowTicks) =>
        Process(e, CustomerTable.Hash(e.CustomerId), _model.EventTypes.GetValueOrDefault(e.Type), nowTicks);

    /// <summary><see cref="Process(CustomerEvent, long)"/>, given the customer table's hash of the event's customer id and
    /// what the model knows of its type (null: nothing reads it).</summary>
    private bool Process(CustomerEvent e, int customerHash, EventTypeInfo? type, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock;
        if (Behind)
        {
            FireDueOf(e.CustomerId, nowTicks);
        }

        var at = e.Timestamp?.UtcTicks ?? nowTicks;
        if (type is null && _customers.IsQuiet(e.CustomerId, customerHash, nowTicks))
        {
            // No journey and no aggregate reads the type (the common case), and the customer is settled: no when entry
            // can fire. Answered from the customer table's slot, without touching the customer's objects.
            return false;
        }

        var customer = GetOrCreate(e.CustomerId, customerHash, at);
        if (type is null)
        {
            // Only a when entry that time made true can fire.
            _ctx.Customer = customer;
            _ctx.NowTicks = nowTicks;
            _ctx.Event = null;
            if (!EvaluateWhenEntries(customer, nowTicks))
            {
                return false;
            }

            MarkDirty(customer);
            return true;
        }

        MarkDirty(customer);
        if (type.Slot >= 0)
        {
            customer.Activity.Record(_model.ActivityWindows, type.Slot, at);
            StateChanged(customer);
            foreach (var j in _model.InactiveJourneysBySlot[type.Slot])
            {
                RearmInactivity(customer, j, at);
            }
        }

        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        _ctx.Event = e;
        foreach (var j in type.Journeys)
        {
            HandleEvent(customer, _model.Journeys[j], e, nowTicks);
        }

        _ctx.Event = null;
        EvaluateWhenEntries(customer, nowTicks);
        return true;
    }

    /// <summary>How far ahead a batch prefetches: the per-customer arrays an event of a read type touches for the event
    /// this many positions ahead, the customer's table slot's id characters and state object for the event twice as far,
    /// its table slot for the event three times as far.</summary>
    internal const int PrefetchDistance = 4;

    private readonly int[] _batchHashes = new int[Partition.MaxEventBatch];
    private readonly EventTypeInfo?[] _batchTypes = new EventTypeInfo?[Partition.MaxEventBatch];

    /// <summary>Applies events in order, exactly as <see cref="Process(CustomerEvent, long)"/> one by one at <paramref name="nowTicks"/>
    /// each, while prefetching the customers of the events a few positions ahead, so the cache misses of looking them up
    /// overlap. When customers outnumber the caches this is most of an event's cost. Returns how many events changed
    /// something.</summary>
    public int ProcessBatch(ReadOnlySpan<CustomerEvent> events, ReadOnlySpan<long> nowTicks)
    {
        var changed = 0;
        for (var start = 0; start < events.Length; start += Partition.MaxEventBatch)
        {
            var chunk = events.Slice(start, Math.Min(Partition.MaxEventBatch, events.Length - start));
            BeginBatch(chunk);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (ProcessInBatch(chunk, i, nowTicks[start + i]))
                {
                    changed++;
                }
            }
        }

        return changed;
    }

    /// <summary>Starts a batch of at most <see cref="Partition.MaxEventBatch"/> events, to be applied in order with
    /// <see cref="ProcessInBatch"/>: hashes each customer id and looks up each event type once, then fills the prefetch
    /// pipeline for the first events (which no earlier event prefetches for): their slots, then their ids and customers,
    /// then their arrays, each stage's loads overlapping each other.</summary>
    public void BeginBatch(ReadOnlySpan<CustomerEvent> events)
    {
        var types = _model.EventTypes;
        for (var i = 0; i < events.Length; i++)
        {
            _batchHashes[i] = CustomerTable.Hash(events[i].CustomerId);
            _batchTypes[i] = types.GetValueOrDefault(events[i].Type);
        }

        for (var i = 0; i < Math.Min(3 * PrefetchDistance, events.Length); i++)
        {
            PrefetchSlot(i);
        }

        for (var i = 0; i < Math.Min(2 * PrefetchDistance, events.Length); i++)
        {
            PrefetchCustomer(i);
        }

        for (var i = 0; i < Math.Min(PrefetchDistance, events.Length); i++)
        {
            PrefetchArrays(i);
        }
    }

    // The three prefetch stages for event k of the batch, in the order they are asked for (see PrefetchDistance).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PrefetchSlot(int k) => _customers.Prefetch(_batchHashes[k], CustomerTable.PrefetchStage.Slot);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PrefetchCustomer(int k) => _customers.Prefetch(_batchHashes[k],
        _batchTypes[k] is null ? CustomerTable.PrefetchStage.IdAndUnquietCustomer : CustomerTable.PrefetchStage.IdAndCustomer);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PrefetchArrays(int k)
    {
        if (_batchTypes[k] is not null) // only an event of a type something reads touches the customer's arrays
        {
            _customers.Prefetch(_batchHashes[k], CustomerTable.PrefetchStage.CustomerArrays);
        }
    }

    /// <summary>Applies event <paramref name="i"/> of the batch begun with <see cref="BeginBatch"/>, as
    /// <see cref="Process(CustomerEvent, long)"/> would, after prefetching for the events ahead (a hint only: what is
    /// applied, and how, does not depend on it).</summary>
    public bool ProcessInBatch(ReadOnlySpan<CustomerEvent> events, int i, long nowTicks)
    {
        if (i + (3 * PrefetchDistance) < events.Length)
        {
            PrefetchSlot(i + (3 * PrefetchDistance));
        }

        if (i + (2 * PrefetchDistance) < events.Length)
        {
            PrefetchCustomer(i + (2 * PrefetchDistance));
        }

        if (i + PrefetchDistance < events.Length)
        {
            PrefetchArrays(i + PrefetchDistance);
        }

        var type = _batchTypes[i];
        _batchTypes[i] = null;
        return Process(events[i], _batchHashes[i], type, nowTicks);
    }

    public void Identify(CustomerProfile profile, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock;
        if (Behind)
        {
            FireDueOf(profile.CustomerId, nowTicks);
        }

        var at = profile.Timestamp?.UtcTicks ?? nowTicks;
        var customer = GetOrCreate(profile.CustomerId, CustomerTable.Hash(profile.CustomerId), at);
        var changedTraits = new HashSet<string>(StringComparer.Ordinal);
        if (profile.TimeZone is { } tz && tz != customer.TimeZone.Id)
        {
            customer.TimeZone = TimeZones.Find(tz);
            changedTraits.Add("timeZone");
        }

        foreach (var (name, value) in profile.Traits ?? new Dictionary<string, object?>())
        {
            var v = Value.From(value);
            if (v.IsNull ? customer.Traits.Remove(name) : !customer.Traits.TryGetValue(name, out var old) || !old.Equals(v))
            {
                if (!v.IsNull)
                {
                    customer.Traits[name] = v;
                }

                changedTraits.Add(name);
            }
        }

        if (changedTraits.Count == 0)
        {
            return;
        }

        customer.RuleMemo.Clear(); // rule results were for the traits before
        StateChanged(customer);
        MarkDirty(customer);
        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        _ctx.Event = null;
        foreach (var j in _model.DateJourneys)
        {
            var entry = (DateEntry)_model.Journeys[j].Definition.Entry;
            if (changedTraits.Contains(entry.Trait) || changedTraits.Contains("timeZone"))
            {
                ScheduleDate(customer, j, nowTicks);
            }
        }

        EvaluateWhenEntries(customer, nowTicks);
    }

    // ---- customers -------------------------------------------------------------------------------------------------

    private void MarkDirty(CustomerState customer)
    {
        if (_dirty is not null && !customer.Dirty)
        {
            customer.Dirty = true;
            _dirty.Add(customer);
        }
    }

    /// <summary>Snapshots of the customers changed since the last call (empty when changes are not tracked).</summary>
    public List<Persistence.CustomerSnapshot> TakeChanges()
    {
        if (_dirty is null || _dirty.Count == 0)
        {
            return [];
        }

        var snapshots = new List<Persistence.CustomerSnapshot>(_dirty.Count);
        foreach (var customer in _dirty)
        {
            customer.Dirty = false;
            snapshots.Add(SnapshotMapper.ToSnapshot(customer, _model));
        }

        _dirty.Clear();
        return snapshots;
    }

    /// <summary>Marks the customers of snapshots a store failed to save as changed again, so the next
    /// <see cref="TakeChanges"/> includes them.</summary>
    public void RetryChanges(IEnumerable<Persistence.CustomerSnapshot> notSaved)
    {
        foreach (var snapshot in notSaved)
        {
            if (_customers.TryGetValue(snapshot.Id, out var customer))
            {
                MarkDirty(customer);
            }
        }
    }

    /// <summary>Takes over a customer restored from the store and re-arms its timers; those already due fire on the
    /// next <see cref="AdvanceTo"/>, at their own due times, in order.</summary>
    public void Adopt(CustomerState customer)
    {
        _customers.Set(customer);
        ScheduleMigrations(customer);
        for (var j = 0; j < _model.Journeys.Length; j++)
        {
            var journey = _model.Journeys[j];
            if (customer.MemoryOf(j).Instance is { } instance && journey.Steps[instance.Step].TimerTicks is > 0 and var timer && !IsMigrating(customer, j))
            {
                Schedule(new TimerEntry(CalendarTicks.Add(instance.ArrivedTicks, timer), customer, j, TimerKind.Step, StepToken(instance)));
            }

            var pending = customer.MemoryOf(j).PendingEntryTicks;
            var kind = journey.Definition.Entry switch { DateEntry => TimerKind.Date, InactivityEntry => TimerKind.Inactivity, _ => (TimerKind?)null };
            if (pending != 0 && kind is { } timed)
            {
                Schedule(new TimerEntry(pending, customer, j, timed, pending));
            }
        }

        foreach (var deferred in customer.Deferred ?? [])
        {
            Schedule(new TimerEntry(deferred.RetryAtTicks, customer, deferred.Journey, TimerKind.Deferred, deferred.RetryAtTicks));
        }
    }

    private CustomerState GetOrCreate(string id, int hash, long firstSeenTicks)
    {
        if (_customers.TryGetValue(id, hash, out var customer))
        {
            return customer;
        }

        // The table keeps its own copy of the id (the customer keeps none), so the event's string is not retained.
        customer = new CustomerState(id, _model.Journeys.Length) { FirstSeenTicks = firstSeenTicks };
        _customers.Set(customer);
        MarkDirty(customer);
        foreach (var j in _model.InactiveJourneys)
        {
            var entry = (InactivityEntry)_model.Journeys[j].Definition.Entry;
            ScheduleInactivity(customer, j, CalendarTicks.Add(firstSeenTicks, entry.For.Ticks));
        }

        return customer;
    }

    /// <summary>The customer's tier now: the first tier whose condition holds, else <c>default</c>. Derived on demand
    /// (when a send is checked or an expression reads <c>customer.tier</c>), never per event, so tiers always reflect
    /// the traits and activity of the moment and idle events pay nothing for them.</summary>
    private string DeriveTier(CustomerState customer)
    {
        var tiers = _model.Tiers;
        if (tiers.Length == 0 || _derivingTier)
        {
            return customer.Tier;
        }

        var (savedCustomer, savedEvent) = (_ctx.Customer, _ctx.Event);
        _derivingTier = true;
        _ctx.Customer = customer;
        _ctx.Event = null; // tiers see the customer, never an event
        try
        {
            var tier = TierDefinition.Default;
            foreach (var t in tiers)
            {
                if (t.Condition.IsTrue(_ctx))
                {
                    tier = t.Name;
                    break;
                }
            }

            return customer.Tier = tier;
        }
        finally
        {
            (_ctx.Customer, _ctx.Event) = (savedCustomer, savedEvent);
            _derivingTier = false;
        }
    }

    // ---- events ----------------------------------------------------------------------------------------------------

    private void HandleEvent(CustomerState customer, CompiledJourney journey, CustomerEvent e, long now)
    {
        var instance = customer.MemoryOf(journey.Index).Instance;
        if (instance is not null)
        {
            var step = journey.Steps[instance.Step];
            if (journey.ExitsByEvent.TryGetValue(e.Type, out var exits))
            {
                foreach (var exit in exits)
                {
                    if (exit.Guard is null || exit.Guard.IsTrue(_ctx))
                    {
                        Emit(now, customer, journey, instance, step.Name, DecisionKind.Exited, reason: exit.Reason);
                        EndInstance(customer, journey.Index);
                        DropDeferred(customer, journey, now, exit.Reason);
                        return;
                    }
                }
            }

            if (journey.Definition.Goal is { } goal && goal.EventType == e.Type && !instance.Converted &&
                (goal.Within is null || now - instance.EnteredTicks <= goal.Within.Value.Ticks) &&
                (goal.Guard is null || goal.Guard.IsTrue(_ctx)))
            {
                instance.Converted = true;
                Emit(now, customer, journey, instance, step.Name, DecisionKind.Goal, reason: "goal:" + goal.EventType);
                if (goal.Exit)
                {
                    Emit(now, customer, journey, instance, step.Name, DecisionKind.Exited, reason: "goal:" + goal.EventType);
                    EndInstance(customer, journey.Index);
                    DropDeferred(customer, journey, now, "goal:" + goal.EventType);
                    return;
                }
            }

            if (step.OnEvent.TryGetValue(e.Type, out var transitions))
            {
                foreach (var (guard, target, transition) in transitions)
                {
                    if (guard is null || guard.IsTrue(_ctx))
                    {
                        Move(customer, journey, instance, step, target, transition.Label, now);
                        return;
                    }
                }
            }

            return;
        }

        if (journey.Definition.Entry is EventEntry entry && entry.EventType == e.Type && MayEnter(customer, journey, now) &&
            (entry.Guard is null || entry.Guard.IsTrue(_ctx)))
        {
            Enter(customer, journey, now, "on " + e.Type);
        }
    }

    /// <summary>The customer's activity or traits changed: what expressions over the customer read is new (memoised
    /// results keyed by <see cref="CustomerState.StateVersion"/> go stale), and the customer is no longer settled.</summary>
    private void StateChanged(CustomerState customer)
    {
        customer.StateVersion++;
        _customers.SetQuiet(customer, 0);
    }

    /// <summary>Instances end only here, so the customer's <c>when</c> entries are looked at again when the journey is
    /// one of theirs: the customer may enter it anew.</summary>
    private void EndInstance(CustomerState customer, int journey)
    {
        customer.UpdateMemoryOf(journey).Instance = null;
        if (_model.EndUnsettlesWhenEntries[journey]) // other journeys: no write to the customer's table slot (a cache miss)
        {
            _customers.SetQuiet(customer, 0);
        }
    }

    /// <summary>Settled: the customer's quiet mark has not run out. It is set when the <c>when</c> entries were last
    /// evaluated and none could fire before it, and cleared by <see cref="StateChanged"/> and by <see cref="EndInstance"/>
    /// of a <c>when</c> journey. The common case for an event that changes nothing, answered from the customer table's
    /// slot without reading the customer's journey arrays (each a cache miss when customers outnumber the caches).</summary>
    private bool IsWhenSettled(CustomerState customer, long now) => now < _customers.QuietUntil(customer);

    /// <summary>Enters the <c>when</c> journeys whose condition holds now; true when the customer entered one.</summary>
    private bool EvaluateWhenEntries(CustomerState customer, long now)
    {
        if (IsWhenSettled(customer, now))
        {
            return false;
        }

        var entered = false;
        var settledUntil = long.MaxValue;
        foreach (var j in _model.WhenJourneys)
        {
            var journey = _model.Journeys[j];
            if (customer.MemoryOf(j).Instance is not null)
            {
                continue; // settled while inside: the instance ends through EndInstance, which unsettles
            }

            if (!MayEnter(customer, journey, now))
            {
                settledUntil = Math.Min(settledUntil, ReentryAllowedAt(customer, journey));
                continue;
            }

            // A condition that was false, over the same activity and traits, stays false if time alone cannot make it
            // true (count() only falls, daysSince() only rises): skip it. Any new activity or trait bumps the version.
            var condition = ((ConditionEntry)journey.Definition.Entry).Condition;
            ref readonly var memory = ref customer.MemoryOf(j);
            if (condition.CannotBecomeTrueWithTime && memory.WhenFalseAtVersion == customer.StateVersion + 1)
            {
                continue;
            }

            if (condition.IsTrue(_ctx))
            {
                Enter(customer, journey, now, "when");
                entered = true;
                settledUntil = long.MinValue; // entering ran steps: look again next time
            }
            else
            {
                customer.UpdateMemoryOf(j).WhenFalseAtVersion = customer.StateVersion + 1;
                if (!condition.CannotBecomeTrueWithTime)
                {
                    settledUntil = long.MinValue; // time alone may make it true: evaluate on every event
                }
            }
        }

        _customers.SetQuiet(customer, settledUntil > now ? settledUntil : 0);
        return entered;
    }

    /// <summary>When re-entry rules let a customer who may not enter now enter the journey again (never: long.MaxValue).</summary>
    private static long ReentryAllowedAt(CustomerState customer, CompiledJourney journey)
    {
        var policy = journey.Definition.Reentry;
        return journey.AcceptsEntries && policy.Kind == ReentryKind.AfterGap
            ? CalendarTicks.Add(customer.MemoryOf(journey.Index).LastEntryTicks, policy.MinimumGap.Ticks)
            : long.MaxValue; // never, a retired version, or inside an older version: until an instance ends
    }

    private static bool MayEnter(CustomerState customer, CompiledJourney journey, long now)
    {
        if (customer.MemoryOf(journey.Index).Instance is not null || !journey.AcceptsEntries)
        {
            return false;
        }

        foreach (var retired in journey.Retired) // older versions customers finish on: usually none
        {
            if (customer.MemoryOf(retired).Instance is not null)
            {
                return false;
            }
        }

        ref readonly var memory = ref customer.MemoryOf(journey.Index);
        if (memory.Entries == 0)
        {
            return true;
        }

        var policy = journey.Definition.Reentry;
        return policy.Kind switch
        {
            ReentryKind.Always => true,
            ReentryKind.AfterGap => now - memory.LastEntryTicks >= policy.MinimumGap.Ticks,
            _ => false,
        };
    }

    // ---- journey mechanics -------------------------------------------------------------------------------------------

    private void Enter(CustomerState customer, CompiledJourney journey, long now, string reason)
    {
        ref var memory = ref customer.UpdateMemoryOf(journey.Index);
        memory.Entries++;
        memory.LastEntryTicks = now;
        var instance = new JourneyInstance
        {
            Version = journey.Version,
            Sequence = memory.Entries,
            EnteredTicks = now,
        };
        memory.Instance = instance;
        var start = journey.Steps[journey.Start];
        Emit(now, customer, journey, instance, start.Name, DecisionKind.Entered, reason: reason);
        Arrive(customer, journey, instance, start, now);
    }

    private void Move(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep from, int target, string reason, long now)
    {
        if (target == CompiledStep.End)
        {
            Complete(customer, journey, instance, from, now, reason);
            return;
        }

        var to = journey.Steps[target];
        Emit(now, customer, journey, instance, to.Name, DecisionKind.Moved, reason: reason, from: from.Name);
        Arrive(customer, journey, instance, to, now);
    }

    private void Complete(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep at, long now, string? reason)
    {
        Emit(now, customer, journey, instance, at.Name, DecisionKind.Completed, reason: reason);
        EndInstance(customer, journey.Index);
    }

    /// <summary>Arrival: send the step's messages, then take the first arrival branch that matches, else wait for an
    /// event or the step's timer; a step with no way out completes the journey.</summary>
    private void Arrive(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now)
    {
        for (var moves = 0; ; moves++)
        {
            instance.Step = step.Index;
            instance.ArrivedTicks = now;
            instance.Arrival++;
            for (var i = 0; i < step.Sends.Length; i++)
            {
                Send(customer, journey, instance, step, i, now);
            }

            if (step.Completes)
            {
                Complete(customer, journey, instance, step, now, null);
                return;
            }

            var (target, label) = ChooseArrivalBranch(customer, journey, step);
            if (target is null)
            {
                if (step.OnlyConditions)
                {
                    Complete(customer, journey, instance, step, now, "no branch matched");
                    return;
                }

                if (step.TimerTicks > 0)
                {
                    Schedule(new TimerEntry(CalendarTicks.Add(now, step.TimerTicks), customer, journey.Index, TimerKind.Step, StepToken(instance)));
                }

                return;
            }

            if (target == CompiledStep.End)
            {
                Complete(customer, journey, instance, step, now, label);
                return;
            }

            if (moves >= MaxMovesPerArrival)
            {
                Emit(now, customer, journey, instance, step.Name, DecisionKind.Exited, reason: "loop: arrival branches never settle");
                EndInstance(customer, journey.Index);
                return;
            }

            var next = journey.Steps[target.Value];
            Emit(now, customer, journey, instance, next.Name, DecisionKind.Moved, reason: label, from: step.Name);
            step = next;
        }
    }

    private (int? Target, string Label) ChooseArrivalBranch(CustomerState customer, CompiledJourney journey, CompiledStep step)
    {
        foreach (var branch in step.Arrival)
        {
            switch (branch.Transition)
            {
                case ConditionTransition c when c.Condition.IsTrue(_ctx):
                    return (branch.Targets[0], c.Label);
                case GotoTransition:
                    return (branch.Targets[0], "always");
                case SplitTransition split:
                {
                    var b = SplitBranchOf(customer.Id, journey.Definition, step.Definition, split);
                    return (branch.Targets[b], $"split {b + 1}/{split.Branches.Count}");
                }
            }
        }

        return (null, "");
    }

    /// <summary>The split branch a customer takes: a hash of customer, journey, version and step, so the same customer
    /// always takes the same branch of the same journey version, independently of anything else.</summary>
    internal static int SplitBranchOf(string customerId, JourneyDefinition journey, StepDefinition step, SplitTransition split)
    {
        var key = Encoding.UTF8.GetBytes($"{customerId}\n{journey.Id}\n{journey.Version}\n{step.Name}");
        var hash = BinaryPrimitives.ReadUInt64LittleEndian(XxHash64.Hash(key));
        var point = (hash >> 11) * (1.0 / (1UL << 53)) * split.TotalWeight;
        var cumulative = 0.0;
        for (var i = 0; i < split.Branches.Count; i++)
        {
            cumulative += split.Branches[i].Weight;
            if (point < cumulative)
            {
                return i;
            }
        }

        return split.Branches.Count - 1;
    }

    private void Send(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now) =>
        Send(customer, journey, instance.Version, instance.Sequence, step, index, now, deferredSince: 0, reportedReason: null);

    /// <summary>Puts one send through the pace gate: sent, suppressed, or deferred to a retry time.</summary>
    private void Send(CustomerState customer, CompiledJourney journey, int version, int sequence, CompiledStep step, int index, long now,
        long deferredSince, string? reportedReason)
    {
        var send = step.Sends[index];
        DeriveTier(customer);
        if (_clock - now > MaxSendLatenessTicks)
        {
            EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, "stale");
            return;
        }

        var verdict = _gate.Check(customer, journey, send, now, deferredSince);
        switch (verdict.Outcome)
        {
            case GateOutcome.Suppress:
                EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, verdict.Reason);
                return;
            case GateOutcome.Defer when CalendarTicks.IsNever(verdict.RetryAtTicks):
                // Held until past the calendar's end: it can never go out.
                EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, verdict.Reason);
                return;
            case GateOutcome.Defer:
                if (verdict.Reason != reportedReason)
                {
                    EmitSend(now, customer, journey, version, step.Name, DecisionKind.Deferred, send, verdict.Reason);
                }

                customer.AddDeferred(new DeferredSend(journey.Index, version, sequence, step.Index, index, deferredSince == 0 ? now : deferredSince,
                    verdict.RetryAtTicks, verdict.Reason));
                Schedule(new TimerEntry(verdict.RetryAtTicks, customer, journey.Index, TimerKind.Deferred, verdict.RetryAtTicks));
                return;
        }

        var traits = customer.Traits.ToDictionary(kv => kv.Key, kv => kv.Value.ToObject(), StringComparer.Ordinal);
        var eventProperties = _ctx.Event?.Properties ?? NoProperties;
        (string? Subject, string Body)? content; // rendered once, here: every channel gets this text
        try
        {
            content = RenderTemplate(customer, journey, version, step, send, traits, eventProperties);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The message never reached a channel: a failed delivery, not a crash and not a counted send.
            EmitSend(now, customer, journey, version, step.Name, DecisionKind.Failed, send, $"template '{send.Template}': {ex.Message}");
            return;
        }

        EmitSend(now, customer, journey, version, step.Name, DecisionKind.Sent, send);
        _gate.Sent(customer, journey, send, now);
        _deliver(new OutboundMessage
        {
            IdempotencyKey = $"{journey.Id}:{version}:{customer.Id}:{sequence}:{step.Name}:{index}",
            Channel = send.Channel,
            Template = send.Template,
            Category = send.Category,
            Priority = send.Priority,
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            JourneyVersion = version,
            Step = step.Name,
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            Subject = content?.Subject,
            Body = content?.Body,
            Traits = traits,
            EventProperties = eventProperties,
        });
    }

    private static readonly Dictionary<string, object?> NoProperties = new(StringComparer.Ordinal);

    private (string? Subject, string Body)? RenderTemplate(CustomerState customer, CompiledJourney journey, int version, CompiledStep step, SendDefinition send,
        Dictionary<string, object?> traits, IReadOnlyDictionary<string, object?> eventProperties)
    {
        var templates = _model.Catalog.Templates;
        if (templates.Count == 0)
        {
            return null;
        }

        var customerValues = new Dictionary<string, object?>(traits, StringComparer.Ordinal)
        {
            ["id"] = customer.Id,
            ["tier"] = customer.Tier,
            ["timeZone"] = customer.TimeZone.Id,
        };
        var eventValues = new Dictionary<string, object?>(eventProperties, StringComparer.Ordinal) { ["type"] = _ctx.Event?.Type };
        var journeyValues = new Dictionary<string, object?> { ["id"] = journey.Id, ["version"] = version, ["step"] = step.Name };
        return templates.Render(send.Template, send.Channel, customerValues, eventValues, journeyValues);
    }

    /// <summary>Retries the customer's deferred sends that are due: highest priority first, then the longest waiting,
    /// so when a cap frees one slot the most important send takes it.</summary>
    private void ReleaseDeferred(CustomerState customer, long now)
    {
        if (customer.Deferred is not { } pending)
        {
            return;
        }

        var due = pending.Where(d => d.RetryAtTicks <= now)
            .OrderByDescending(d => _model.Journeys[d.Journey].Steps[d.Step].Sends[d.SendIndex].Priority)
            .ThenBy(d => d.DeferredAtTicks)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        customer.RemoveDeferred(d => d.RetryAtTicks <= now);
        foreach (var d in due)
        {
            var journey = _model.Journeys[d.Journey];
            Send(customer, journey, d.Version, d.Sequence, journey.Steps[d.Step], d.SendIndex, now, d.DeferredAtTicks, d.Reason);
        }
    }

    /// <summary>A customer who leaves a journey early takes its waiting sends along: each is recorded as suppressed.</summary>
    private void DropDeferred(CustomerState customer, CompiledJourney journey, long now, string reason)
    {
        if (customer.Deferred is not { } pending)
        {
            return;
        }

        DeriveTier(customer); // the tier of the moment: a customer restored from a store has none cached yet
        foreach (var d in pending.Where(d => d.Journey == journey.Index))
        {
            var send = journey.Steps[d.Step].Sends[d.SendIndex];
            EmitSend(now, customer, journey, d.Version, journey.Steps[d.Step].Name, DecisionKind.Suppressed, send, reason);
        }

        customer.RemoveDeferred(d => d.Journey == journey.Index);
    }

    // ---- timers ----------------------------------------------------------------------------------------------------

    private static long StepToken(JourneyInstance instance) => ((long)instance.Sequence << 32) | (uint)instance.Arrival;

    /// <summary>Queues a timer; one due past the calendar's end (<see cref="CalendarTicks.Never"/>) never fires, so it is not queued.</summary>
    private void Schedule(TimerEntry entry)
    {
        if (!CalendarTicks.IsNever(entry.DueTicks))
        {
            _timers.Enqueue(entry);
        }
    }

    private void Fire(TimerEntry entry)
    {
        var customer = entry.Customer;
        var journey = _model.Journeys[entry.Journey];
        var now = entry.DueTicks;
        MarkDirty(customer);
        _ctx.Customer = customer;
        _ctx.NowTicks = now;
        _ctx.Event = null;
        switch (entry.Kind)
        {
            case TimerKind.Step:
            {
                var instance = customer.MemoryOf(entry.Journey).Instance;
                if (instance is null || StepToken(instance) != entry.Token)
                {
                    return; // the customer moved on or left since
                }

                var step = journey.Steps[instance.Step];
                Move(customer, journey, instance, step, step.TimerTarget, step.TimerLabel!, now);
                break;
            }

            case TimerKind.Inactivity:
            {
                if (customer.MemoryOf(entry.Journey).PendingEntryTicks != entry.Token)
                {
                    return;
                }

                customer.UpdateMemoryOf(entry.Journey).PendingEntryTicks = 0;
                var inactive = (InactivityEntry)journey.Definition.Entry;
                var last = LastActivity(customer, entry.Journey);
                var due = CalendarTicks.Add(last, inactive.For.Ticks);
                if (due > now)
                {
                    ScheduleInactivity(customer, entry.Journey, due); // activity since: wait again from the last one
                    return;
                }

                if (MayEnter(customer, journey, now))
                {
                    Enter(customer, journey, now, "inactive " + Duration.Format(inactive.For));
                }

                // Further entries need new activity first: the next quiet period starts at the next activity.
                customer.UpdateMemoryOf(entry.Journey).InactivityWaitsForActivity = true;
                break;
            }

            case TimerKind.Deferred:
                ReleaseDeferred(customer, now);
                break;

            case TimerKind.Migration:
                ApplyMigrations(customer, now);
                break;

            case TimerKind.Date:
            {
                if (customer.MemoryOf(entry.Journey).PendingEntryTicks != entry.Token)
                {
                    return;
                }

                customer.UpdateMemoryOf(entry.Journey).PendingEntryTicks = 0;
                if (MayEnter(customer, journey, now))
                {
                    Enter(customer, journey, now, "date " + ((DateEntry)journey.Definition.Entry).Trait);
                }

                ScheduleDate(customer, entry.Journey, now);
                break;
            }
        }
    }

    private void ScheduleInactivity(CustomerState customer, int journey, long due)
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
        foreach (var slot in _model.InactiveSlots[journey])
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
    private void RearmInactivity(CustomerState customer, int journey, long activityTicks)
    {
        ref var memory = ref customer.UpdateMemoryOf(journey); // ScheduleInactivity below changes this same journey's: no move
        var entry = (InactivityEntry)_model.Journeys[journey].Definition.Entry;
        var due = Math.Max(CalendarTicks.Add(LastActivity(customer, journey), entry.For.Ticks), _clock);
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

    private void ScheduleDate(CustomerState customer, int journey, long now)
    {
        var entry = (DateEntry)_model.Journeys[journey].Definition.Entry;
        var next = DateSchedule.Next(customer.GetTrait(entry.Trait), entry, customer.TimeZone, now);
        if (next is not null || customer.MemoryOf(journey).PendingEntryTicks != 0) // no date, none before: no memory to add
        {
            customer.UpdateMemoryOf(journey).PendingEntryTicks = next ?? 0;
        }

        if (next is { } due)
        {
            Schedule(new TimerEntry(due, customer, journey, TimerKind.Date, due));
        }
    }

    // ---- decisions -------------------------------------------------------------------------------------------------

    private void Emit(long now, CustomerState customer, CompiledJourney journey, JourneyInstance instance, string step, DecisionKind kind,
        string? channel = null, string? template = null, string? reason = null, string? from = null) =>
        Emit(now, customer, journey, instance.Version, step, kind, channel, template, reason, from);

    /// <summary>A decision about a send: it carries the channel, template, category and the customer's tier.</summary>
    private void EmitSend(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        SendDefinition send, string? reason = null) =>
        Emit(now, customer, journey, version, step, kind, send.Channel, send.Template, reason, send: send);

    private void Emit(long now, CustomerState customer, CompiledJourney journey, int version, string step, DecisionKind kind,
        string? channel = null, string? template = null, string? reason = null, string? from = null, SendDefinition? send = null) =>
        _decisions.Emit(new JourneyDecision
        {
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            Version = version,
            Step = step,
            Kind = kind,
            Channel = channel,
            Template = template,
            Category = send?.Category,
            Tier = send is null ? null : customer.Tier,
            Reason = reason,
            From = from,
            Sequence = _decisionSeq++,
        });
}
