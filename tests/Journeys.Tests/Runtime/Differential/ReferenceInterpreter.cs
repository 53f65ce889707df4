using Journeys.Decisions;
using Journeys.Interpretation;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Graph;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Runtime.Differential;

/// <summary>The language spec for one customer in one journey, told step by step on the Stateless machine built by
/// <see cref="JourneyStateMachine.ForReference"/>: nothing compiled, no timer queue, no indexes. Guards run through the
/// same compiled expressions (an <see cref="EvaluationContext"/> over a <see cref="CustomerState"/> and its activity log).
/// <list type="bullet">
/// <item>an event while inside: an exit rule, else the goal (once per entry; exits at once unless <c>exit: false</c>),
/// then an <c>on</c>;</item>
/// <item>an entry event while outside: enters when re-entry allows and the entry guard holds;</item>
/// <item>arrival: <c>set</c> (every value evaluated first, then stored; null removes; <c>updated</c>), sends, <c>emit</c>
/// (<c>emitted</c>, or <c>failed</c> for the ninth of a chain), then the first arrival branch in written order (<c>if</c> that holds, <c>goto</c>, <c>split</c>);
/// no <c>then</c>, or only <c>if</c>s and none holds: completed; otherwise wait;</item>
/// <item>time: the step's earliest timer fires: <c>after</c> at arrival (or, <c>from: entry</c>, entry) + its duration,
/// <c>until</c> at the next such time of day (UTC) on its days; a <c>from: entry</c> timer already due on arrival is
/// taken then, in its place among the arrival branches.</item>
/// <item>emitted events: queued, and applied as events after the input (or the timer) that caused them, in emit order,
/// at the same instant; an event emitted while applying the eighth of a chain is not.</item>
/// </list></summary>
internal sealed class ReferenceInterpreter : IReferenceGuards
{
    private readonly JourneyDefinition _journey;
    private readonly JourneyStateMachine _machine;
    private readonly JourneyCatalog _catalog;
    private readonly CustomerState _customer;
    private readonly EvaluationContext _context = new();
    private string _state = "";
    private long _now;
    private long _enteredAt;
    private long _arrivedAt;
    private long _lastEntryAt;
    private int _entries;
    private bool _converted;
    private readonly Queue<(string Type, Dictionary<string, object?>? Properties, int Depth)> _emitted = new();
    private int _depth;
    private bool _settling;

    public ReferenceInterpreter(JourneyCatalog catalog, string customerId, long startTicks)
    {
        _catalog = catalog;
        _journey = catalog.Definitions.Single();
        _customer = new CustomerState(customerId, 1);
        _context.Customer = _customer;
        _context.Rules = catalog.Rules;
        _now = startTicks;
        _machine = JourneyStateMachine.ForReference(_journey, () => _state, s => _state = s, this);
    }

    public List<(long At, DecisionKind Kind, string Step)> Decisions { get; } = [];

    /// <summary><c>not-entered</c>, <c>step:NAME</c>, <c>completed</c>, <c>exited</c> or <c>converted</c>.</summary>
    public string State =>
        _state == _machine.NotEntered ? "not-entered" :
        _state == _machine.Completed ? "completed" :
        _state == _machine.Exited ? "exited" :
        _state == _machine.Converted ? "converted" :
        "step:" + _state;

    private bool Inside => _journey.FindStep(_state) is not null;

    /// <summary>Whether the run is open (the customer stands at a step).</summary>
    public bool IsInside => Inside;

    /// <summary>Whether an entering event of <paramref name="type"/> now would enter: the entry's guard holds on it and,
    /// unless <paramref name="guardOnly"/>, re-entry allows another entry. Call after <see cref="Event"/> with
    /// <c>reaches: false</c>, so time and activity are the event's. Changes nothing.</summary>
    public bool WouldEnter(string type, long at, IReadOnlyDictionary<string, object?>? properties, bool guardOnly = false)
    {
        if (Inside || (!guardOnly && !ReentryAllows()))
        {
            return false;
        }

        var before = _state;
        _state = _machine.NotEntered;
        _context.Event = new CustomerEvent(_customer.Id, type, new DateTimeOffset(at, TimeSpan.Zero), properties);
        var enters = _machine.Machine.CanFire(JourneyStateMachine.EntryTrigger(_journey));
        (_state, _context.Event) = (before, null);
        return enters;
    }

    // ---- inputs ----------------------------------------------------------------------------------------------------

    /// <param name="type">The event's type.</param>
    /// <param name="at">When it happens.</param>
    /// <param name="reaches">False when the event is the customer's but not this run's (a case of another key, see
    /// <see cref="CaseReference"/>): time and activity move on, nothing else.</param>
    /// <param name="properties">The event's properties (what <c>event.*</c> and a case key read).</param>
    public void Event(string type, long at, bool reaches = true, IReadOnlyDictionary<string, object?>? properties = null)
    {
        AdvanceTo(at);
        Apply(type, properties, reaches);
        Settle();
    }

    private void Apply(string type, IReadOnlyDictionary<string, object?>? properties, bool reaches = true)
    {
        var at = _now;
        if (_catalog.Activity.TryGetSlot(type, out var slot))
        {
            _customer.Activity.Record(_catalog.Activity.Slots.Select(s => s.LongestWindow.Ticks).ToArray(), slot, at);
        }

        if (!reaches)
        {
            return;
        }

        _context.Event = new CustomerEvent(_customer.Id, type, new DateTimeOffset(at, TimeSpan.Zero), properties);
        if (Inside)
        {
            OnEventInside(type);
        }
        else if (_journey.Entry is EventEntry entry && entry.EventType == type && ReentryAllows())
        {
            TryEnter();
        }

        _context.Event = null;
    }

    public void Identify(string trait, string? value, long at)
    {
        AdvanceTo(at);
        if (value is null)
        {
            _customer.Traits.Remove(trait);
        }
        else
        {
            _customer.Traits[trait] = Value.String(value);
        }
    }

    /// <summary>Fires the earliest timer of the current step while it is due, each at its own time.</summary>
    public void AdvanceTo(long at)
    {
        while (Inside && NextTimer() is { } next && next.Due <= at)
        {
            SetNow(next.Due);
            Take(next.Trigger);
            Settle();
        }

        SetNow(at);
    }

    /// <summary>The current step's earliest timer (the first written among those due at once), worked out here without the
    /// runtime's code: <c>after</c> from arrival or entry, <c>until</c> at the next such UTC time of day on its days.</summary>
    private (string Trigger, long Due)? NextTimer()
    {
        (string, long)? next = null;
        foreach (var t in _journey.FindStep(_state)!.Transitions)
        {
            long? due = t switch
            {
                TimerTransition a => (a.FromEntry ? _enteredAt : _arrivedAt) + a.After.Ticks,
                UntilTransition u => NextUtcTimeOfDay(_arrivedAt, u),
                _ => null,
            };
            if (due is { } d && (next is null || d < next.Value.Item2))
            {
                next = (t.Label, d);
            }
        }

        return next;
    }

    private static long NextUtcTimeOfDay(long after, UntilTransition until)
    {
        var day = new DateTime(after, DateTimeKind.Utc).Date;
        for (var candidate = day + until.At.ToTimeSpan(); ; candidate = candidate.AddDays(1))
        {
            if (candidate.Ticks > after && until.Days.Contains(candidate.DayOfWeek))
            {
                return candidate.Ticks;
            }
        }
    }

    // ---- the journey ---------------------------------------------------------------------------------------------------

    private void OnEventInside(string type)
    {
        var step = _state;
        var exit = "exit: on " + type;
        if (_machine.Machine.CanFire(exit))
        {
            _machine.Machine.Fire(exit);
            Emit(DecisionKind.Exited, step);
            return;
        }

        if (_journey.Goal is { } goal && goal.EventType == type && _machine.Machine.CanFire(JourneyStateMachine.GoalTrigger(goal)))
        {
            Emit(DecisionKind.Goal, step);
            _machine.Machine.Fire(JourneyStateMachine.GoalTrigger(goal));
            _converted = true;
            if (_state == _machine.Converted)
            {
                Emit(DecisionKind.Exited, step);
                return;
            }
        }

        var on = JourneyStateMachine.OnTrigger(type);
        if (_machine.Machine.CanFire(on))
        {
            Take(on);
        }
    }

    private void TryEnter()
    {
        var before = _state;
        _state = _machine.NotEntered;
        var trigger = JourneyStateMachine.EntryTrigger(_journey);
        if (!_machine.Machine.CanFire(trigger))
        {
            _state = before; // the guard refused: nothing changes
            return;
        }

        _machine.Machine.Fire(trigger);
        _entries++;
        _converted = false;
        _enteredAt = _lastEntryAt = _now;
        Emit(DecisionKind.Entered, _state);
        Arrive();
    }

    private bool ReentryAllows() => _entries == 0 || _journey.Reentry.Kind switch
    {
        ReentryKind.Always => true,
        ReentryKind.AfterGap => _now - _lastEntryAt >= _journey.Reentry.MinimumGap.Ticks,
        _ => false,
    };

    /// <summary>Fires a trigger that leaves the current step: to another step (moved, then arrival) or to the end.</summary>
    private void Take(string trigger)
    {
        var from = _state;
        _machine.Machine.Fire(trigger);
        if (_state == _machine.Completed)
        {
            Emit(DecisionKind.Completed, from);
            return;
        }

        Emit(DecisionKind.Moved, _state);
        Arrive();
    }

    private void Arrive()
    {
        _arrivedAt = _now;
        var step = _journey.FindStep(_state)!;
        if (step.Set.Count > 0)
        {
            var values = step.Set.Select(a => a.Value is { } e ? e.Evaluate(_context) : Value.Null).ToList();
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i].IsNull)
                {
                    _customer.Traits.Remove(step.Set[i].Trait);
                }
                else
                {
                    _customer.Traits[step.Set[i].Trait] = values[i];
                }
            }

            Emit(DecisionKind.Updated, step.Name);
        }

        foreach (var _ in step.Sends)
        {
            Emit(DecisionKind.Sent, step.Name);
        }

        foreach (var emit in step.Emits)
        {
            if (_depth >= 8)
            {
                Emit(DecisionKind.Failed, step.Name);
                continue;
            }

            var properties = emit.Properties.ToDictionary(p => p.Key, p => p.Value.Evaluate(_context).ToObject(), StringComparer.Ordinal);
            Emit(DecisionKind.Emitted, step.Name);
            _emitted.Enqueue((emit.EventType, properties, _depth + 1));
        }

        if (step.Transitions.Count == 0)
        {
            Take(JourneyStateMachine.DoneTrigger);
            return;
        }

        foreach (var t in step.Transitions)
        {
            switch (t)
            {
                case ConditionTransition c when Holds(c.Condition):
                    Take(JourneyStateMachine.IfTrigger);
                    return;
                case GotoTransition:
                    Take(JourneyStateMachine.AlwaysTrigger);
                    return;
                case SplitTransition:
                    Take(JourneyStateMachine.SplitTrigger);
                    return;
                case TimerTransition { FromEntry: true } a when _enteredAt + a.After.Ticks <= _now:
                    Take(a.Label); // a from-entry timer already due: taken on arrival, in its place
                    return;
            }
        }

        if (_machine.Machine.CanFire(JourneyStateMachine.DoneTrigger))
        {
            Take(JourneyStateMachine.DoneTrigger); // only 'if' branches and none held
        }
    }

    /// <summary>Applies the events emitted by the input just applied, and those they emit, in order.</summary>
    private void Settle()
    {
        if (_settling)
        {
            return;
        }

        _settling = true;
        while (_emitted.TryDequeue(out var next))
        {
            _depth = next.Depth;
            Apply(next.Type, next.Properties);
        }

        (_depth, _settling) = (0, false);
    }

    private void SetNow(long ticks)
    {
        _now = ticks;
        _context.NowTicks = ticks;
    }

    private void Emit(DecisionKind kind, string step) => Decisions.Add((_now, kind, step));

    // ---- IReferenceGuards ----------------------------------------------------------------------------------------------

    public bool Holds(JourneyExpression expression) => expression.IsTrue(_context);

    public int Branch(StepDefinition step, SplitTransition split)
    {
        var cumulative = new double[split.Branches.Count];
        var total = 0.0;
        for (var i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] = total += split.Branches[i].Weight;
        }

        return JourneyInterpreter.SplitBranchOf(_customer.Id, _journey.Id, _journey.Version, step.Name, cumulative);
    }

    public bool GoalInTime(GoalDefinition goal) => !_converted && (goal.Within is not { } within || _now - _enteredAt <= within.Ticks);
}
