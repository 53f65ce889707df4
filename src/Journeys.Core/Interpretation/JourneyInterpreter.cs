using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Interpretation;

/// <summary>The journey semantics, over the compiled model only: entry (event, <c>when</c>, and the entries timers bring),
/// re-entry, exits and the goal, arrival at a step (its sends, then the first arrival branch that matches), moves and
/// completion. Per-event path: allocation-free unless a decision is made. Sends, timers and held sends are asked of the
/// stages above through <see cref="IJourneyEffects"/>; decisions go to the <see cref="DecisionWriter"/>.</summary>
internal sealed partial class JourneyInterpreter(RuntimeModel model, CustomerTable customers, EvaluationContext ctx, DecisionWriter decisions)
{
    /// <summary>The stages above (set once by the partition's dispatcher before any input).</summary>
    public IJourneyEffects Effects { get; set; } = null!;

    // ---- events ----------------------------------------------------------------------------------------------------

    /// <summary>An event of a type <paramref name="journey"/> reads: exits, the goal and the step's <c>on</c> transitions
    /// for a customer inside it, else its event entry. The event is the context's.</summary>
    public void HandleEvent(CustomerState customer, CompiledJourney journey, CustomerEvent e, long now)
    {
        if (journey.CaseKey is not null)
        {
            HandleCaseEvent(customer, journey, e, now); // several runs, routed by key (JourneyInterpreter.Cases.cs)
            return;
        }

        if (customer.RunOf(journey.Index) is { } instance)
        {
            ReachRun(customer, journey, instance, e, now);
            return;
        }

        if (journey.Entry == EntryKind.On && journey.EntryEvent == e.Type && MayEnter(customer, journey, now) &&
            (journey.EntryGuard is null || Holds(journey.EntryGuard, customer, journey, journey.Version, journey.Steps[journey.Start].Name, now)))
        {
            Enter(customer, journey, now, e);
        }
    }

    /// <summary>An event reaches a run: its exits, the goal, then its step's <c>on</c> transitions.</summary>
    private void ReachRun(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CustomerEvent e, long now)
    {
        ctx.Run = instance;
        var step = journey.Steps[instance.Step];
        if (journey.ExitsByEvent.TryGetValue(e.Type, out var exits))
        {
            foreach (var exit in exits)
            {
                if (exit.Guard is null || Holds(exit.Guard, customer, journey, instance.Version, step.Name, now))
                {
                    Leave(customer, journey, instance, step.Name, exit.Reason, now);
                    return;
                }
            }
        }

        if (journey.Goal is { } goal && goal.EventType == e.Type && !instance.Converted &&
            goal.InTime(instance.EnteredTicks, now) &&
            (goal.Guard is null || Holds(goal.Guard, customer, journey, instance.Version, step.Name, now)))
        {
            instance.Converted = true;
            decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Goal, reason: goal.Reason);
            if (goal.Exits)
            {
                Leave(customer, journey, instance, step.Name, goal.Reason, now);
                return;
            }
        }

        if (step.OnEvent.TryGetValue(e.Type, out var transitions))
        {
            foreach (var t in transitions)
            {
                if (t.Guard is null || Holds(t.Guard, customer, journey, instance.Version, step.Name, now))
                {
                    Move(customer, journey, instance, step, t.Target, t.Label, now);
                    return;
                }
            }
        }
    }

    /// <summary>The customer's activity or traits changed: what expressions over the customer read is new (memoised
    /// results keyed by <see cref="CustomerState.StateVersion"/> go stale), and the customer is no longer settled.</summary>
    public void StateChanged(CustomerState customer)
    {
        customer.StateVersion++;
        customers.SetQuiet(customer, 0);
    }

    /// <summary>Instances end only here, so the customer's <c>when</c> entries are looked at again when the journey is
    /// one of theirs: the customer may enter it anew.</summary>
    public void EndInstance(CustomerState customer, int journey, JourneyInstance instance)
    {
        ref var memory = ref customer.UpdateMemoryOf(journey);
        if (instance.Heap is { } run)
        {
            memory.Runs = EnteredRun.Remove(memory.Runs, run);
        }
        else if (memory.Run.Sequence == instance.Sequence)
        {
            memory.Run.Live = false; // the rest stays: the ended run's handle still reads it (see JourneyInstance)
        }

        if (model.EndUnsettlesWhenEntries[journey]) // other journeys: no write to the customer's table slot (a cache miss)
        {
            customers.SetQuiet(customer, 0);
        }
    }

    /// <summary>The customer leaves the run early: <c>exited</c> with the reason, the run ends, its held sends go.</summary>
    public void Leave(CustomerState customer, CompiledJourney journey, JourneyInstance instance, string step, DecisionReason reason, long now)
    {
        decisions.Emit(now, customer, journey, instance, step, DecisionKind.Exited, reason: reason);
        EndInstance(customer, journey.Index, instance);
        Effects.Left(customer, journey, instance, now, reason);
    }

    /// <summary>Settled: the customer's quiet mark has not run out. It is set when the <c>when</c> entries were last
    /// evaluated and none could fire before it, and cleared by <see cref="StateChanged"/> and by <see cref="EndInstance"/>
    /// of a <c>when</c> journey. The common case for an event that changes nothing, answered from the customer table's
    /// slot without reading the customer's journey arrays (each a cache miss when customers outnumber the caches).</summary>
    private bool IsWhenSettled(CustomerState customer, long now) => now < customers.QuietUntil(customer);

    /// <summary>Enters the <c>when</c> journeys whose condition holds now; true when the customer entered one.</summary>
    public bool EvaluateWhenEntries(CustomerState customer, long now)
    {
        if (IsWhenSettled(customer, now))
        {
            return false;
        }

        var entered = false;
        var settledUntil = long.MaxValue;
        foreach (var j in model.WhenJourneys)
        {
            var journey = model.Journeys[j];
            if (customer.MemoryOf(j).HasRun)
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
            var condition = journey.EntryGuard!;
            ref readonly var memory = ref customer.MemoryOf(j);
            if (condition.CannotBecomeTrueWithTime && memory.WhenFalseAtVersion == customer.StateVersion + 1)
            {
                continue;
            }

            if (Holds(condition, customer, journey, journey.Version, journey.Steps[journey.Start].Name, now))
            {
                Enter(customer, journey, now);
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

        customers.SetQuiet(customer, settledUntil > now ? settledUntil : 0);
        return entered;
    }

    /// <summary>When re-entry rules let a customer who may not enter now enter the journey again (never: long.MaxValue).</summary>
    private static long ReentryAllowedAt(CustomerState customer, CompiledJourney journey) =>
        journey.AcceptsEntries && journey.ReentryKind == ReentryKind.AfterGap
            ? CalendarTicks.Add(customer.MemoryOf(journey.Index).LastEntryTicks, journey.ReentryGapTicks)
            : long.MaxValue; // never, a retired version, or inside an older version: until an instance ends

    /// <summary>Whether the customer may enter <paramref name="journey"/> now: not inside it (nor an older version of
    /// it), and its re-entry rule allows another entry.</summary>
    public static bool MayEnter(CustomerState customer, CompiledJourney journey, long now)
    {
        if (customer.MemoryOf(journey.Index).HasRun || !journey.AcceptsEntries)
        {
            return false;
        }

        foreach (var retired in journey.Retired) // older versions customers finish on: usually none
        {
            if (customer.MemoryOf(retired).HasRun)
            {
                return false;
            }
        }

        ref readonly var memory = ref customer.MemoryOf(journey.Index);
        if (memory.Entries == 0)
        {
            return true;
        }

        return journey.ReentryKind switch
        {
            ReentryKind.Always => true,
            ReentryKind.AfterGap => now - memory.LastEntryTicks >= journey.ReentryGapTicks,
            _ => false,
        };
    }

    // ---- runs --------------------------------------------------------------------------------------------------------

    /// <summary>Journeys an operator paused (<c>JourneyEngine.PauseJourneyAsync</c>), by journey index: their entries are
    /// refused. Null when none is (set by the partition, on its worker).</summary>
    public bool[]? Paused { get; set; }

    /// <summary>Told of each entry refused because its journey is paused (the engine logs it): the customer and journey ids.</summary>
    public Action<string, string>? EntryRefused { get; set; }

    /// <summary>A <c>schedule:</c> entry's occurrence for one customer: enters them when they may enter and its guard
    /// holds (the context is the customer's, at <paramref name="now"/>); true when they entered. A customer whose last
    /// entry is at or after <paramref name="occurrenceTicks"/> (the occurrence's time: earlier than <paramref name="now"/>
    /// when it is made up after a restart) was entered by it already and is not entered again; one first seen after it was
    /// not known when it came and is not entered by it.</summary>
    public bool EnterScheduled(CustomerState customer, CompiledJourney journey, long now, DecisionReason occurrence, long occurrenceTicks)
    {
        ref readonly var memory = ref customer.MemoryOf(journey.Index);
        if ((memory.Entries > 0 && memory.LastEntryTicks >= occurrenceTicks) || customer.FirstSeenTicks > occurrenceTicks)
        {
            // This occurrence entered them already (saved before a restart that fires or makes it up again), or they were
            // not known yet when it came (first seen after it, and restored before a restart that fires or makes it up).
            return false;
        }

        if (Paused is { } paused && paused[journey.Index])
        {
            EntryRefused?.Invoke(customer.Id, journey.Id);
            return false;
        }

        if (!MayEnter(customer, journey, now) ||
            (journey.EntryGuard is { } guard && !Holds(guard, customer, journey, journey.Version, journey.Steps[journey.Start].Name, now)))
        {
            return false;
        }

        Enter(customer, journey, now, reason: occurrence);
        return true;
    }

    /// <summary>Enters the customer (the caller checked <see cref="MayEnter"/>): a new run at the start step, entered by
    /// <paramref name="entering"/> (null for entries of other kinds), of case <paramref name="caseKey"/> (null without cases),
    /// its <c>entered</c> decision giving <paramref name="reason"/> (default: the journey's entry reason); or, when an
    /// operator paused the journey, nothing but the refusal told to <see cref="EntryRefused"/>.</summary>
    public void Enter(CustomerState customer, CompiledJourney journey, long now, CustomerEvent? entering = null, string? caseKey = null,
        DecisionReason? reason = null)
    {
        if (Paused is { } paused && paused[journey.Index])
        {
            EntryRefused?.Invoke(customer.Id, journey.Id);
            return;
        }

        ref var memory = ref customer.UpdateMemoryOf(journey.Index);
        memory.Entries++;
        memory.LastEntryTicks = now;
        JourneyInstance instance;
        if (journey.KeepsEntry)
        {
            var run = new EnteredRun(journey.Version, memory.Entries, now) { CaseKey = caseKey, EntryProperties = entering?.Properties };
            memory.Runs = caseKey is null ? run : EnteredRun.Append(memory.Runs, run);
            instance = new JourneyInstance(run);
        }
        else
        {
            // No object: the run is inline in the memory (a young run stored in an old customer is what made a million
            // entries cost the GC most of their time; see docs/performance.md).
            memory.Run = new InlineRun(journey.Version, memory.Entries, now);
            instance = new JourneyInstance(customer, journey.Index, memory.Entries);
        }

        var start = journey.Steps[journey.Start];
        decisions.Emit(now, customer, journey, instance, start.Name, DecisionKind.Entered, reason: reason ?? journey.EntryReason);
        Arrive(customer, journey, instance, start, now);
    }

    /// <summary>Moves the run from <paramref name="from"/> to <paramref name="target"/> (<see cref="CompiledStep.End"/>
    /// completes it).</summary>
    public void Move(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep from, int target, DecisionReason reason, long now)
    {
        if (target == CompiledStep.End)
        {
            Complete(customer, journey, instance, from, now, reason);
            return;
        }

        var to = journey.Steps[target];
        decisions.Emit(now, customer, journey, instance, to.Name, DecisionKind.Moved, reason: reason, from: from.Name);
        Arrive(customer, journey, instance, to, now);
    }

    private void Complete(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep at, long now, DecisionReason? reason)
    {
        decisions.Emit(now, customer, journey, instance, at.Name, DecisionKind.Completed, reason: reason);
        EndInstance(customer, journey.Index, instance);
    }

    /// <summary>Arrival: the step's actions in the spec's order (<c>set</c>, <c>send</c>, <c>emit</c>, <c>call</c>), then take the first arrival branch that matches, else wait for an
    /// event or the step's timer; a step with no way out completes the journey.</summary>
    private void Arrive(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now)
    {
        for (var moves = 0; ; moves++)
        {
            instance.Step = step.Index;
            instance.ArrivedTicks = now;
            instance.Arrival++;
            if (step.Set.Length > 0)
            {
                SetTraits(customer, journey, instance, step, now);
            }

            for (var i = 0; i < step.Sends.Length; i++)
            {
                Effects.Send(customer, journey, instance, step, i, now);
            }

            for (var i = 0; i < step.Emits.Length; i++)
            {
                Effects.Emit(customer, journey, instance, step, i, now);
            }

            if (step.Call is not null)
            {
                Effects.Call(customer, journey, instance, step, now);
            }

            if (step.Completes)
            {
                Complete(customer, journey, instance, step, now, null);
                return;
            }

            // A step that calls waits for the answer ($done, $failed), its events and its timers: no arrival branch.
            var (target, label) = step.Call is null ? ChooseArrivalBranch(customer, journey, instance, step, now) : (null, null);
            if (target is null)
            {
                if (step.OnlyConditions)
                {
                    Complete(customer, journey, instance, step, now, DecisionReason.NoBranch);
                    return;
                }

                if (step.Timers.Length > 0 && step.NextTimer(now, instance.EnteredTicks, customer.TimeZoneIn(model.Customers)) is { } timer)
                {
                    Effects.ArmStepTimer(customer, journey, instance, timer.Due);
                }

                return;
            }

            if (target == CompiledStep.End)
            {
                Complete(customer, journey, instance, step, now, label!);
                return;
            }

            // The loader refuses cycles of arrival branches, so a chain of moves at one instant visits each step at most
            // once: as many moves as the journey has steps can only be a loop the loader did not see (never, by design).
            if (moves >= journey.Steps.Length)
            {
                decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Exited, reason: DecisionReason.Loop);
                EndInstance(customer, journey.Index, instance);
                return;
            }

            var next = journey.Steps[target.Value];
            decisions.Emit(now, customer, journey, instance, next.Name, DecisionKind.Moved, reason: label!, from: step.Name);
            step = next;
        }
    }

    /// <summary>The answer to the run's call or send at its step (the caller checked the run is still there): the first
    /// <c>on: $done</c> (or <c>$failed</c>) transition whose guard holds moves it; none leaves it waiting. A done call's
    /// answer is <paramref name="result"/>, what <c>result.*</c> reads.</summary>
    public void Answer(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, bool failed,
        IReadOnlyDictionary<string, Value>? result, long now)
    {
        ctx.Run = instance;
        ctx.Result = result;
        try
        {
            foreach (var t in failed ? step.OnFailed : step.OnDone)
            {
                if (t.Guard is null || Holds(t.Guard, customer, journey, instance.Version, step.Name, now))
                {
                    ctx.Result = null;
                    Move(customer, journey, instance, step, t.Target, t.Label, now);
                    return;
                }
            }
        }
        finally
        {
            ctx.Result = null;
        }
    }

    /// <summary>Applies a step's rules to a run already there, without its sends (a run moved to a new journey version):
    /// its arrival branches at once, its timer from the original arrival (at once when that is past).</summary>
    public void Resume(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, long now)
    {
        if (step.Completes)
        {
            Complete(customer, journey, instance, step, now, DecisionReason.NoWayOut(journey.Version, step.Name));
            return;
        }

        var (target, label) = step.Call is null ? ChooseArrivalBranch(customer, journey, instance, step, now) : (null, null);
        if (target is { } to)
        {
            Move(customer, journey, instance, step, to, label!, now);
        }
        else if (step.OnlyConditions)
        {
            Complete(customer, journey, instance, step, now, DecisionReason.NoBranch);
        }
        else if (step.Timers.Length > 0 && step.NextTimer(instance.ArrivedTicks, instance.EnteredTicks, customer.TimeZoneIn(model.Customers)) is { } timer)
        {
            Effects.ArmStepTimer(customer, journey, instance, Math.Max(timer.Due, now));
        }
    }

    private (int? Target, DecisionReason? Label) ChooseArrivalBranch(CustomerState customer, CompiledJourney journey, JourneyInstance instance,
        CompiledStep step, long now)
    {
        ctx.Run = instance;
        foreach (var branch in step.Arrival)
        {
            if (branch.Timer is { } timer)
            {
                // A from-entry timer whose time has passed is taken on arrival, in its place among the branches.
                if (timer.Due(instance.ArrivedTicks, instance.EnteredTicks, customer.TimeZoneIn(model.Customers)) <= now)
                {
                    return (branch.Targets[0], branch.Labels[0]);
                }

                continue;
            }

            if (branch.IsSplit)
            {
                var b = SplitBranchOf(customer.Id, journey.Id, journey.Version, step.Name, branch.CumulativeWeights);
                return (branch.Targets[b], branch.Labels[b]);
            }

            if (branch.Condition is null || Holds(branch.Condition, customer, journey, instance.Version, step.Name, now))
            {
                return (branch.Targets[0], branch.Labels[0]);
            }
        }

        return (null, null);
    }

    /// <summary>Evaluates a guard or condition of <paramref name="journey"/> at <paramref name="step"/>. A rule it calls
    /// that fails to evaluate counts as not holding, and is recorded as a <c>failed</c> decision there
    /// (<c>rule-error:Workflow.Rule: message</c>); when nothing failed this costs one check.</summary>
    private bool Holds(JourneyExpression guard, CustomerState customer, CompiledJourney journey, int version, string step, long now)
    {
        var holds = guard.IsTrue(ctx);
        if (ctx.RuleFailures is { Count: > 0 })
        {
            decisions.EmitRuleFailures(ctx, now, customer, journey, version, step);
        }

        return holds;
    }

    /// <summary>The split branch a customer takes: a hash of customer, journey, version and step, so the same customer
    /// always takes the same branch of the same journey version, independently of anything else.</summary>
    public static int SplitBranchOf(string customerId, string journeyId, int version, string step, double[] cumulativeWeights)
    {
        var key = Encoding.UTF8.GetBytes($"{customerId}\n{journeyId}\n{version}\n{step}");
        var hash = BinaryPrimitives.ReadUInt64LittleEndian(XxHash64.Hash(key));
        var point = (hash >> 11) * (1.0 / (1UL << 53)) * cumulativeWeights[^1];
        for (var i = 0; i < cumulativeWeights.Length; i++)
        {
            if (point < cumulativeWeights[i])
            {
                return i;
            }
        }

        return cumulativeWeights.Length - 1;
    }
}
