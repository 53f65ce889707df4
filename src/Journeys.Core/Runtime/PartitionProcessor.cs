using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Journeys.Definitions;
using Journeys.Delivery;
using Journeys.Expressions;

namespace Journeys.Runtime;

/// <summary>The per-event path: applies events, profile updates and due timers to the customers of one partition.
/// Single-threaded by design (one worker owns a partition), so nothing here locks. Every method takes the time it runs
/// at: the engine passes its <see cref="TimeProvider"/>'s time captured at enqueue, simulation passes virtual time.
/// Hot path: an event that touches no journey and no aggregate costs a dictionary lookup or two and allocates nothing.</summary>
internal sealed class PartitionProcessor
{
    private const int MaxMovesPerArrival = 64; // arrival branches that loop back are cut here

    private readonly RuntimeModel _model;
    private readonly IDecisionSink _decisions;
    private readonly Action<OutboundMessage> _deliver;
    private readonly ISendGate _gate;
    private readonly Dictionary<string, CustomerState> _customers = new(StringComparer.Ordinal);
    private readonly PriorityQueue<TimerEntry, (long Due, long Seq)> _timers = new();
    private readonly EvaluationContext _ctx = new();
    private long _timerSeq;
    private long _clock; // never goes backwards, whatever order callers' clocks were read in
    private long _decisionSeq;

    public PartitionProcessor(RuntimeModel model, IDecisionSink decisions, Action<OutboundMessage> deliver, ISendGate? gate = null)
    {
        _model = model;
        _decisions = decisions;
        _deliver = deliver;
        _gate = gate ?? AllowAllGate.Instance;
        _ctx.Rules = model.Rules;
    }

    /// <summary>The customers this partition owns.</summary>
    public IReadOnlyDictionary<string, CustomerState> Customers => _customers;

    public int PendingTimers => _timers.Count;

    /// <summary>The due time of the earliest timer, or null.</summary>
    public long? NextDueTicks => _timers.TryPeek(out var e, out _) ? e.DueTicks : null;

    // ---- inputs ----------------------------------------------------------------------------------------------------

    /// <summary>Fires every timer due at or before <paramref name="nowTicks"/>, each at its own due time, in order.</summary>
    public void AdvanceTo(long nowTicks)
    {
        _clock = Math.Max(_clock, nowTicks);
        while (_timers.TryPeek(out var entry, out _) && entry.DueTicks <= nowTicks)
        {
            _timers.Dequeue();
            Fire(entry);
        }
    }

    public void Process(CustomerEvent e, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock;
        var at = e.Timestamp?.UtcTicks ?? nowTicks;
        var customer = GetOrCreate(e.CustomerId, at);
        var typeIsTracked = _model.SlotByEvent.TryGetValue(e.Type, out var slot);
        var journeys = _model.JourneysFor(e.Type);
        if (!typeIsTracked && journeys.Length == 0 && _model.WhenJourneys.Length == 0)
        {
            return; // touches nothing: the common case
        }

        if (typeIsTracked)
        {
            customer.Activity.Record(slot, at);
            foreach (var j in _model.InactiveJourneysBySlot[slot])
            {
                RearmInactivity(customer, j, at);
            }
        }

        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        DeriveTier(customer);
        _ctx.Event = e;
        foreach (var j in journeys)
        {
            HandleEvent(customer, _model.Journeys[j], e, nowTicks);
        }

        _ctx.Event = null;
        EvaluateWhenEntries(customer, nowTicks);
    }

    public void Identify(CustomerProfile profile, long nowTicks)
    {
        AdvanceTo(nowTicks);
        nowTicks = _clock;
        var at = profile.Timestamp?.UtcTicks ?? nowTicks;
        var customer = GetOrCreate(profile.CustomerId, at);
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

        customer.TraitsVersion++;
        _ctx.Customer = customer;
        _ctx.NowTicks = nowTicks;
        _ctx.Event = null;
        DeriveTier(customer);
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

    private CustomerState GetOrCreate(string id, long firstSeenTicks)
    {
        if (_customers.TryGetValue(id, out var customer))
        {
            return customer;
        }

        customer = new CustomerState(id, _model.ActivityWindows, _model.Journeys.Length) { FirstSeenTicks = firstSeenTicks };
        _customers.Add(id, customer);
        foreach (var j in _model.InactiveJourneys)
        {
            var entry = (InactivityEntry)_model.Journeys[j].Definition.Entry;
            ScheduleInactivity(customer, j, firstSeenTicks + entry.For.Ticks);
        }

        return customer;
    }

    private void DeriveTier(CustomerState customer)
    {
        var tiers = _model.Tiers;
        if (tiers.Length == 0)
        {
            return;
        }

        var tier = TierDefinition.Default;
        foreach (var t in tiers)
        {
            if (t.Condition.IsTrue(_ctx))
            {
                tier = t.Name;
                break;
            }
        }

        customer.Tier = tier;
    }

    // ---- events ----------------------------------------------------------------------------------------------------

    private void HandleEvent(CustomerState customer, CompiledJourney journey, CustomerEvent e, long now)
    {
        var instance = customer.Instances[journey.Index];
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
                        customer.Instances[journey.Index] = null;
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
                    customer.Instances[journey.Index] = null;
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

    private void EvaluateWhenEntries(CustomerState customer, long now)
    {
        foreach (var j in _model.WhenJourneys)
        {
            var journey = _model.Journeys[j];
            if (customer.Instances[j] is null && MayEnter(customer, journey, now) &&
                ((ConditionEntry)journey.Definition.Entry).Condition.IsTrue(_ctx))
            {
                Enter(customer, journey, now, "when");
            }
        }
    }

    private static bool MayEnter(CustomerState customer, CompiledJourney journey, long now)
    {
        if (customer.Instances[journey.Index] is not null)
        {
            return false;
        }

        ref var memory = ref customer.Memory[journey.Index];
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
        ref var memory = ref customer.Memory[journey.Index];
        memory.Entries++;
        memory.LastEntryTicks = now;
        var instance = new JourneyInstance
        {
            JourneyIndex = journey.Index,
            Version = journey.Version,
            Sequence = memory.Entries,
            EnteredTicks = now,
        };
        customer.Instances[journey.Index] = instance;
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
        customer.Instances[journey.Index] = null;
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
                    Schedule(new TimerEntry(now + step.TimerTicks, customer, journey.Index, TimerKind.Step, StepToken(instance)));
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
                customer.Instances[journey.Index] = null;
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

    private void Send(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now)
    {
        var send = step.Sends[index];
        if (_gate.Check(customer, journey, send, now) is { } reason)
        {
            Emit(now, customer, journey, instance, step.Name, DecisionKind.Suppressed, send.Channel, send.Template, reason);
            return;
        }

        Emit(now, customer, journey, instance, step.Name, DecisionKind.Sent, send.Channel, send.Template);
        _gate.Sent(customer, journey, send, now);
        _deliver(new OutboundMessage
        {
            IdempotencyKey = $"{journey.Id}:{journey.Version}:{customer.Id}:{instance.Sequence}:{step.Name}:{index}",
            Channel = send.Channel,
            Template = send.Template,
            Category = send.Category,
            Priority = send.Priority,
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            JourneyVersion = journey.Version,
            Step = step.Name,
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            Traits = customer.Traits.ToDictionary(kv => kv.Key, kv => kv.Value.ToObject(), StringComparer.Ordinal),
            EventProperties = _ctx.Event?.Properties ?? new Dictionary<string, object?>(),
        });
    }

    // ---- timers ----------------------------------------------------------------------------------------------------

    private static long StepToken(JourneyInstance instance) => ((long)instance.Sequence << 32) | (uint)instance.Arrival;

    private void Schedule(TimerEntry entry) => _timers.Enqueue(entry, (entry.DueTicks, _timerSeq++));

    private void Fire(TimerEntry entry)
    {
        var customer = entry.Customer;
        var journey = _model.Journeys[entry.Journey];
        var now = entry.DueTicks;
        _ctx.Customer = customer;
        _ctx.NowTicks = now;
        _ctx.Event = null;
        switch (entry.Kind)
        {
            case TimerKind.Step:
            {
                var instance = customer.Instances[entry.Journey];
                if (instance is null || StepToken(instance) != entry.Token)
                {
                    return; // the customer moved on or left since
                }

                DeriveTier(customer);
                var step = journey.Steps[instance.Step];
                Move(customer, journey, instance, step, step.TimerTarget, step.TimerLabel!, now);
                break;
            }

            case TimerKind.Inactivity:
            {
                ref var memory = ref customer.Memory[entry.Journey];
                if (memory.InactivityDueTicks != entry.Token)
                {
                    return;
                }

                memory.InactivityDueTicks = 0;
                var inactive = (InactivityEntry)journey.Definition.Entry;
                var last = customer.FirstSeenTicks;
                foreach (var slot in _model.InactiveSlots[entry.Journey])
                {
                    if (customer.Activity.LastSeen(slot) is { } seen && seen > last)
                    {
                        last = seen;
                    }
                }

                var due = last + inactive.For.Ticks;
                if (due > now)
                {
                    ScheduleInactivity(customer, entry.Journey, due); // activity since: wait again from the last one
                    return;
                }

                DeriveTier(customer);
                if (MayEnter(customer, journey, now))
                {
                    Enter(customer, journey, now, "inactive " + Duration.Format(inactive.For));
                }

                // Further entries need new activity first: the next quiet period starts at the next activity.
                customer.Memory[entry.Journey].InactivityWaitsForActivity = true;
                break;
            }

            case TimerKind.Date:
            {
                if (customer.Memory[entry.Journey].NextDateTicks != entry.Token)
                {
                    return;
                }

                customer.Memory[entry.Journey].NextDateTicks = 0;
                DeriveTier(customer);
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
        ref var memory = ref customer.Memory[journey];
        memory.InactivityDueTicks = due;
        Schedule(new TimerEntry(due, customer, journey, TimerKind.Inactivity, due));
    }

    /// <summary>Called for tracked activity: re-arms an inactivity check that waits for activity after an entry.</summary>
    private void RearmInactivity(CustomerState customer, int journey, long activityTicks)
    {
        ref var memory = ref customer.Memory[journey];
        if (memory.InactivityWaitsForActivity && memory.InactivityDueTicks == 0)
        {
            memory.InactivityWaitsForActivity = false;
            var entry = (InactivityEntry)_model.Journeys[journey].Definition.Entry;
            ScheduleInactivity(customer, journey, activityTicks + entry.For.Ticks);
        }
    }

    private void ScheduleDate(CustomerState customer, int journey, long now)
    {
        var entry = (DateEntry)_model.Journeys[journey].Definition.Entry;
        var next = DateSchedule.Next(customer.GetTrait(entry.Trait), entry, customer.TimeZone, now);
        ref var memory = ref customer.Memory[journey];
        memory.NextDateTicks = next ?? 0;
        if (next is { } due)
        {
            Schedule(new TimerEntry(due, customer, journey, TimerKind.Date, due));
        }
    }

    // ---- decisions -------------------------------------------------------------------------------------------------

    private void Emit(long now, CustomerState customer, CompiledJourney journey, JourneyInstance instance, string step, DecisionKind kind,
        string? channel = null, string? template = null, string? reason = null, string? from = null) =>
        _decisions.Emit(new JourneyDecision
        {
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            CustomerId = customer.Id,
            JourneyId = journey.Id,
            Version = instance.Version,
            Step = step,
            Kind = kind,
            Channel = channel,
            Template = template,
            Reason = reason,
            From = from,
            Sequence = _decisionSeq++,
        });
}
