using System.Runtime.CompilerServices;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interpretation;
using Journeys.Language.Expressions;
using Journeys.Persistence;
using Journeys.Policy;
using Journeys.State;
using Journeys.Timers;

namespace Journeys.Engine;

/// <summary>A partition's dispatcher: takes its inputs (events, profile updates, due timers) in order and hands each to
/// the stage that owns it — the journey semantics (<see cref="JourneyInterpreter"/>), the timer stage
/// (<see cref="JourneyTimers"/>), the pace stage (<see cref="PaceStage"/>) — and tracks which customers changed, for the
/// store. Single-threaded by design (one worker owns a partition), so nothing here locks. Every method takes the time it
/// runs at: the engine passes its <see cref="TimeProvider"/>'s time captured at enqueue, simulation passes virtual time.
/// Hot path: an event that touches no journey and no aggregate, for a settled customer, costs an event-type lookup and a
/// customer-table slot, and allocates nothing (see <see cref="CustomerTable"/> and <see cref="ProcessBatch"/>).</summary>
internal sealed partial class PartitionProcessor : IJourneyEffects
{
    private readonly RuntimeModel _model;
    private readonly CustomerTable _customers = new();
    private readonly EvaluationContext _ctx = new();
    private readonly PartitionClock _clock = new();
    private readonly DecisionWriter _decisions;
    private readonly JourneyInterpreter _interpreter;
    private readonly JourneyTimers _timers;
    private readonly PaceStage _pace;
    private readonly TimerQueue _queue;
    private readonly ScheduleGroups? _schedules; // null when no journey has a schedule entry

    private readonly List<CustomerState>? _dirty; // null when no store wants changes
    private readonly Action<OutboundMessage> _outbox; // where sends and calls go: the partition's outbox, or a simulation's channel

    public PartitionProcessor(RuntimeModel model, IDecisionSink decisions, Action<OutboundMessage> deliver, bool trackChanges = false, ISendGate? gate = null)
    {
        _dirty = trackChanges ? [] : null;
        _outbox = deliver;
        _model = model;
        _decisions = new DecisionWriter(decisions, model.Customers);
        _interpreter = new JourneyInterpreter(model, _customers, _ctx, _decisions) { Effects = this };
        _timers = new JourneyTimers(model, _interpreter, _clock);
        _queue = _timers.Queue;
        _pace = new PaceStage(model, gate ?? new PaceGate(model), _ctx, _decisions, _timers, _clock, deliver);
        _ctx.Rules = model.Rules;
        _ctx.Registry = model.Customers;
        _ctx.DeriveTier = _pace.DeriveTier;
        _schedules = model.ScheduleJourneys.Length == 0 ? null : new ScheduleGroups(model, _interpreter, _ctx, _timers, _clock, _customers, MarkDirty);
    }

    /// <summary>The customers this partition owns.</summary>
    public CustomerTable Customers => _customers;

    public int PendingTimers => _queue.Count;

    /// <summary>The due time of the earliest timer, or null.</summary>
    public long? NextDueTicks => _queue.TryPeek(out var e) ? e.DueTicks : null;

    // ---- inputs ----------------------------------------------------------------------------------------------------

    /// <summary>The most due timers one <see cref="AdvanceTo"/> fires (default: no limit). The engine sets its catch-up
    /// limit here, so after an outage a partition works through its overdue timers in turns between live inputs.</summary>
    public int TimersPerTurn { get; init; } = int.MaxValue;

    /// <summary>A send decided at a time more than this before the partition's clock (a timer fired late, in a catch-up)
    /// is suppressed as <c>stale</c> (default: no limit).</summary>
    public long MaxSendLatenessTicks
    {
        get => _pace.MaxSendLatenessTicks;
        init => _pace.MaxSendLatenessTicks = value;
    }

    /// <summary>The budgets of what input drives: template renders and strings expressions build (default:
    /// <see cref="EngineLimits.Default"/>).</summary>
    public EngineLimits Limits
    {
        get => new(_pace.TemplateLimits, _ctx.MaxStringLength);
        init => (_pace.TemplateLimits, _ctx.MaxStringLength) = (value.Templates, value.ExpressionMaxStringLength);
    }

    /// <summary>Told of each <c>failed</c> decision for a <c>rule('Workflow.Rule')</c> that failed to evaluate (the engine
    /// logs and counts them; a simulation has only the decision).</summary>
    public Action<JourneyDecision>? RuleFailed
    {
        get => _decisions.RuleFailed;
        init => _decisions.RuleFailed = value;
    }

    /// <summary>Told how long runs stand at steps and take to the goal (the engine's histograms); null in a simulation.</summary>
    public IRunTimings? RunTimings
    {
        get => _decisions.Timings;
        init => _decisions.Timings = value;
    }

    /// <summary>The store's committed clock when the engine started (UTC ticks; 0: none): no <c>schedule:</c> occurrence at
    /// or before it is armed, and <see cref="MakeUpSchedules"/> makes up the latest one after it.</summary>
    public long CommittedTicks
    {
        get => _schedules?.FloorTicks ?? 0;
        init => _schedules?.FloorTicks = value;
    }

    /// <summary>How old a missed <c>schedule:</c> occurrence may be and still be made up at start (ticks; 0: none is).</summary>
    public long ScheduleMakeUpTicks { get; init; }

    /// <summary>Makes up, once at start, the <c>schedule:</c> occurrences that fell due after <see cref="CommittedTicks"/>
    /// while no engine ran (see <see cref="ScheduleGroups.MakeUp"/>); the customers entered are marked changed.</summary>
    /// <returns>How many customers were entered.</returns>
    public int MakeUpSchedules() =>
        _schedules is null || CommittedTicks == 0 ? 0 : _schedules.MakeUp(CommittedTicks, ScheduleMakeUpTicks, DeployedSinceStop);

    /// <summary>The ids of journeys the store kept no version of when the engine started (deployed while no engine ran):
    /// <see cref="MakeUpSchedules"/> makes up none of their occurrences.</summary>
    public IReadOnlySet<string>? DeployedSinceStop { get; init; }

    /// <summary>True when the last <see cref="AdvanceTo"/> stopped at <see cref="TimersPerTurn"/> with timers still due.</summary>
    public bool Behind { get; private set; }

    /// <summary>Fires the timers due at or before <paramref name="nowTicks"/>, each at its own due time, in order — at
    /// most <see cref="TimersPerTurn"/> of them (see <see cref="Behind"/>).</summary>
    public void AdvanceTo(long nowTicks)
    {
        _clock.AdvanceTo(nowTicks);
        _schedules?.ArmPending();
        var budget = TimersPerTurn;
        while (_queue.TryPeek(out var entry) && entry.DueTicks <= nowTicks)
        {
            if (budget-- == 0)
            {
                Behind = true;
                return;
            }

            _queue.Dequeue();
            Fire(entry);
        }

        Behind = false;
        if (_queue.IsIndexedByCustomer)
        {
            _queue.DropCustomerIndex(); // caught up: the index FireDueOf used is not needed any more
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

        _queue.IndexByCustomer();
        while (_queue.TryTakeDueOf(customer, nowTicks, out var due))
        {
            Fire(due);
        }
    }

    /// <summary>Applies an event; false when it changed nothing (no journey or aggregate reads its type, and no
    /// <c>when</c> entry fired).</summary>
    public bool Process(CustomerEvent e, long nowTicks)
    {
        var changed = Process(e, CustomerTable.Hash(e.CustomerId), _model.EventTypes.GetValueOrDefault(e.Type), nowTicks);
        Settle(_clock.Ticks);
        return changed;
    }

    /// <summary><see cref="Process(CustomerEvent, long)"/>, given the customer table's hash of the event's customer id and
    /// what the model knows of its type (null: nothing reads it).</summary>
    private bool Process(CustomerEvent e, int customerHash, EventTypeInfo? type, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock.Ticks;
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

        return Apply(e, customerHash, type, nowTicks, at);
    }

    /// <summary>The part of <see cref="Process(CustomerEvent, int, EventTypeInfo?, long)"/> after the clock and the quiet
    /// check: the event, at <paramref name="at"/>, applied at <paramref name="nowTicks"/> (an emitted event comes here
    /// directly, at the instant it was emitted).</summary>
    private bool Apply(CustomerEvent e, int customerHash, EventTypeInfo? type, long nowTicks, long at)
    {
        var customer = GetOrCreate(e.CustomerId, customerHash, at);
        if (type is null)
        {
            // Only a when entry that time made true can fire.
            _ctx.Customer = customer;
            _ctx.NowTicks = nowTicks;
            _ctx.Event = null;
            if (!_interpreter.EvaluateWhenEntries(customer, nowTicks))
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
            foreach (var sum in _model.SumsBySlot[type.Slot])
            {
                customer.Sums.Record(_model.SumWindows, sum, at, e.GetProperty(_model.SumProperties[sum]));
            }

            _interpreter.StateChanged(customer);
            foreach (var j in _model.InactiveJourneysBySlot[type.Slot])
            {
                _timers.RearmInactivity(customer, j, at);
            }
        }

        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        _ctx.Event = e;
        foreach (var j in type.Journeys)
        {
            _interpreter.HandleEvent(customer, _model.Journeys[j], e, nowTicks);
        }

        _ctx.Event = null;
        _interpreter.EvaluateWhenEntries(customer, nowTicks);
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchSlot(int k) => _customers.Prefetch(_batchHashes[k], CustomerTable.PrefetchStage.Slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchCustomer(int k) => _customers.Prefetch(_batchHashes[k],
        _batchTypes[k] is null ? CustomerTable.PrefetchStage.IdAndUnquietCustomer : CustomerTable.PrefetchStage.IdAndCustomer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        var changed = Process(events[i], _batchHashes[i], type, nowTicks);
        Settle(_clock.Ticks);
        return changed;
    }

    public void Identify(CustomerProfile profile, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock.Ticks;
        if (Behind)
        {
            FireDueOf(profile.CustomerId, nowTicks);
        }

        var at = profile.Timestamp?.UtcTicks ?? nowTicks;
        var customer = GetOrCreate(profile.CustomerId, CustomerTable.Hash(profile.CustomerId), at);
        var changedTraits = new HashSet<string>(StringComparer.Ordinal);
        if (profile.TimeZone is { } tz && tz != customer.TimeZoneIn(_model.Customers).Id)
        {
            var from = customer.ZoneNumber;
            customer.SetTimeZone(_model.Customers, TimeZones.Find(tz));
            _schedules?.ZoneChanged(customer, from);
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
        _interpreter.StateChanged(customer);
        MarkDirty(customer);
        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        _ctx.Event = null;
        foreach (var j in _model.DateJourneys)
        {
            if (changedTraits.Contains(_model.Journeys[j].DateTrait!) || changedTraits.Contains("timeZone"))
            {
                _timers.ScheduleDate(customer, j, nowTicks);
            }
        }

        _interpreter.EvaluateWhenEntries(customer, nowTicks);
        Settle(nowTicks);
    }

    // ---- customers -------------------------------------------------------------------------------------------------

    private void MarkDirty(CustomerState customer)
    {
        if (_dirty is not null && !customer.Dirty)
        {
            customer.Dirty = true;
            customer.Touched = true; // for the idle sweep (PartitionProcessor.Eviction.cs)
            _dirty.Add(customer);
        }
    }

    /// <summary>Snapshots of the customers changed since the last call (empty when changes are not tracked).</summary>
    public List<CustomerSnapshot> TakeChanges()
    {
        if (_dirty is null || _dirty.Count == 0)
        {
            return [];
        }

        var snapshots = new List<CustomerSnapshot>(_dirty.Count);
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
    public void RetryChanges(IEnumerable<CustomerSnapshot> notSaved)
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
    /// next <see cref="AdvanceTo"/>, at their own due times, in order. <paramref name="nowTicks"/> (the engine's start)
    /// moves the partition's clock there, so the schedule entries' next occurrences are armed after it.</summary>
    public void Adopt(CustomerState customer, long nowTicks = 0)
    {
        _clock.AdvanceTo(nowTicks);
        customer.Touched = true; // a full idle period in memory before an eviction
        _customers.Set(customer);
        _schedules?.Added(customer);
        ScheduleMigrations(customer);
        _timers.Adopt(customer, IsMigrating);
        foreach (var deferred in customer.Deferred ?? [])
        {
            _timers.Schedule(new TimerEntry(deferred.RetryAtTicks, customer, deferred.Journey, TimerKind.Deferred, deferred.RetryAtTicks));
        }
    }

    private CustomerState GetOrCreate(string id, int hash, long firstSeenTicks)
    {
        if (_customers.TryGetValue(id, hash, out var customer))
        {
            _customers.RememberId(customer, id); // the decisions this input causes share its id string
            return customer;
        }

        // The table keeps its own copy of the id (the customer keeps none), so the event's string is not retained
        // beyond the input being applied.
        customer = new CustomerState(id, _model.Journeys.Length) { FirstSeenTicks = firstSeenTicks };
        _customers.Set(customer);
        _customers.RememberId(customer, id);
        MarkDirty(customer);
        _schedules?.Added(customer);
        foreach (var j in _model.InactiveJourneys)
        {
            _timers.ScheduleInactivity(customer, j, CalendarTicks.Add(firstSeenTicks, _model.Journeys[j].InactiveForTicks));
        }

        return customer;
    }

    // ---- timers ----------------------------------------------------------------------------------------------------

    /// <summary>A due timer, at its own due time: each kind to the stage that owns it.</summary>
    private void Fire(TimerEntry entry)
    {
        if (entry.Kind == TimerKind.Schedule)
        {
            _schedules?.Fire(entry); // a zone's group, not one customer: it marks the customers it enters
            return;
        }

        var customer = entry.Customer;
        if (!_customers.Holds(customer))
        {
            return; // erased, merged or evicted since (its timers are removed then; this guards the rest)
        }

        MarkDirty(customer);
        _ctx.Customer = customer;
        _ctx.NowTicks = entry.DueTicks;
        _ctx.Event = null;
        switch (entry.Kind)
        {
            case TimerKind.Step:
                _timers.FireStep(entry);
                break;
            case TimerKind.Inactivity:
                _timers.FireInactivity(entry);
                break;
            case TimerKind.Date:
                _timers.FireDate(entry);
                break;
            case TimerKind.Deferred:
                _pace.ReleaseDeferred(customer, entry.DueTicks);
                break;
            case TimerKind.Migration:
                ApplyMigrations(customer, entry.DueTicks);
                break;
        }

        Settle(entry.DueTicks);
    }

    // ---- what the interpreter asks of the stages ----------------------------------------------------------------------

    void IJourneyEffects.Send(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now) =>
        _pace.Send(customer, journey, instance, step, index, now);

    void IJourneyEffects.ArmStepTimer(CustomerState customer, CompiledJourney journey, JourneyInstance instance, long dueTicks) =>
        _timers.ArmStep(customer, journey, instance, dueTicks);

    void IJourneyEffects.Left(CustomerState customer, CompiledJourney journey, JourneyInstance run, long now, DecisionReason reason) =>
        _pace.DropDeferred(customer, journey, now, reason, journey.CaseKey is null ? null : run.Sequence);
}
