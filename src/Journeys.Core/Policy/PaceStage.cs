using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interpretation;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Templates;
using Journeys.State;
using Journeys.Timers;

namespace Journeys.Policy;

/// <summary>The pace stage: every send a step makes passes here. The gate (caps, quiet hours, consent) lets it out,
/// suppresses it or holds it to a retry time; one let out is rendered once, from the journey's Liquid templates, recorded
/// as <c>sent</c> and handed to the outbox with an idempotency key. Held sends are released here when their timer comes
/// (most important first) and dropped when their customer leaves the run. Tiers are derived here too.</summary>
internal sealed class PaceStage
{
    private static readonly Dictionary<string, object?> NoProperties = new(StringComparer.Ordinal);

    private readonly RuntimeModel _model;
    private readonly ISendGate _gate;
    private readonly EvaluationContext _ctx;
    private readonly DecisionWriter _decisions;
    private readonly JourneyTimers _timers;
    private readonly PartitionClock _clock;
    private readonly Action<OutboundMessage> _outbox;
    private bool _derivingTier;
    private TemplateRenderer? _renderer; // made at the first render: the partition's reused render state

    public PaceStage(RuntimeModel model, ISendGate gate, EvaluationContext ctx, DecisionWriter decisions, JourneyTimers timers,
        PartitionClock clock, Action<OutboundMessage> outbox)
    {
        _model = model;
        _gate = gate;
        _ctx = ctx;
        _decisions = decisions;
        _timers = timers;
        _clock = clock;
        _outbox = outbox;
    }

    /// <summary>A send decided at a time more than this before the partition's clock (a timer fired late, in a catch-up)
    /// is suppressed as <c>stale</c> (default: no limit).</summary>
    public long MaxSendLatenessTicks { get; set; } = long.MaxValue;

    /// <summary>The budget of every render (default: <see cref="TemplateLimits.Default"/>).</summary>
    public TemplateLimits TemplateLimits { get; set; } = TemplateLimits.Default;

    /// <summary>Puts send <paramref name="index"/> of a run's step through the gate.</summary>
    public void Send(CustomerState customer, CompiledJourney journey, JourneyInstance instance, CompiledStep step, int index, long now) =>
        Send(customer, journey, instance.Version, instance.Sequence, step, index, now, deferredSince: 0, reportedReason: null, instance, instance.Case);

    /// <summary>Puts one send through the pace gate: sent, suppressed, or deferred to a retry time. <paramref name="run"/>
    /// is the run that sends (what <c>entry.*</c> reads), or null when it ended; <paramref name="caseKey"/> its case key.</summary>
    private void Send(CustomerState customer, CompiledJourney journey, int version, int sequence, CompiledStep step, int index, long now,
        long deferredSince, string? reportedReason, JourneyInstance? run, string? caseKey)
    {
        var send = step.Sends[index];
        DeriveTier(customer);
        if (_ctx.RuleFailures is { Count: > 0 })
        {
            _decisions.EmitRuleFailures(_ctx, now, customer, journey, version, step.Name); // a tier's rule
        }

        if (_clock.Ticks - now > MaxSendLatenessTicks)
        {
            _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, DecisionReason.Stale, caseKey: caseKey);
            return;
        }

        var verdict = _gate.Check(customer, journey, send, now, deferredSince);
        switch (verdict.Outcome)
        {
            case GateOutcome.Suppress:
                _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, verdict.Reason, caseKey: caseKey);
                return;
            case GateOutcome.Defer when CalendarTicks.IsNever(verdict.RetryAtTicks):
                // Held until past the calendar's end: it can never go out.
                _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, verdict.Reason, caseKey: caseKey);
                return;
            case GateOutcome.Defer when send.ValidFor is { } validFor && verdict.RetryAtTicks > CalendarTicks.Add(deferredSince == 0 ? now : deferredSince, validFor.Ticks):
            {
                // Worthless after its deadline: held at most until then, dropped if still held at it.
                var deadline = CalendarTicks.Add(deferredSince == 0 ? now : deferredSince, validFor.Ticks);
                if (now >= deadline)
                {
                    _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Suppressed, send, DecisionReason.Expired(validFor), caseKey: caseKey);
                    return;
                }

                Hold(customer, journey, version, sequence, step, index, now, deferredSince, reportedReason, GateVerdict.Defer(verdict.Reason!, deadline), send, caseKey);
                return;
            }

            case GateOutcome.Defer:
                Hold(customer, journey, version, sequence, step, index, now, deferredSince, reportedReason, verdict, send, caseKey);
                return;
        }

        var traits = customer.Traits.Snapshot(); // shared, not copied: the traits' array is copied on write
        var eventProperties = _ctx.Event?.Properties ?? NoProperties;
        var customerId = customer.Id; // made from the customer table's copy: once per send
        RenderedTemplate? content; // rendered once, here: every channel gets this text
        try
        {
            content = Render(customer, customerId, journey, version, step, send, traits, eventProperties, now, run);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The message never reached a channel: a failed delivery, not a crash and not a counted send.
            _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Failed, send, DecisionReason.TemplateFailed(send.Template, ex.Message), caseKey: caseKey);
            return;
        }

        _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Sent, send, caseKey: caseKey);
        _gate.Sent(customer, journey, send, now);
        _outbox(new OutboundMessage
        {
            IdempotencyKey = IdempotencyKey(journey.Id, version, customerId, sequence, step.Name, index),
            Channel = send.Channel,
            Template = send.Template,
            Category = send.Category,
            Priority = send.Priority,
            CustomerId = customerId,
            JourneyId = journey.Id,
            JourneyVersion = version,
            Step = step.Name,
            Timestamp = new DateTimeOffset(now, TimeSpan.Zero),
            Subject = content?.Subject,
            Body = content?.Body,
            Fields = content?.Fields ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty,
            BodyIsHtml = content?.IsHtml ?? false,
            Traits = traits,
            EventProperties = eventProperties,
        });
    }

    /// <summary>Holds a send to the verdict's retry time (recording <c>deferred</c> when the reason changed).</summary>
    private void Hold(CustomerState customer, CompiledJourney journey, int version, int sequence, CompiledStep step, int index, long now,
        long deferredSince, string? reportedReason, GateVerdict verdict, SendDefinition send, string? caseKey)
    {
        if (verdict.Reason?.Text != reportedReason)
        {
            _decisions.EmitSend(now, customer, journey, version, step.Name, DecisionKind.Deferred, send, verdict.Reason, caseKey: caseKey);
        }

        customer.AddDeferred(new DeferredSend(journey.Index, version, sequence, step.Index, index, deferredSince == 0 ? now : deferredSince,
            verdict.RetryAtTicks, verdict.Reason?.Text, caseKey));
        _timers.Schedule(new TimerEntry(verdict.RetryAtTicks, customer, journey.Index, TimerKind.Deferred, verdict.RetryAtTicks));
    }

    /// <summary>The key a receiver deduplicates a message on: journey, version, customer, entry, step and send. The free
    /// text parts (customer id, step name) have <c>%</c> and <c>:</c> escaped, so different parts never make one key
    /// (a customer <c>a:1</c> cannot pass for customer <c>a</c> in entry 1); ids without those characters keep the key
    /// they always had.</summary>
    internal static string IdempotencyKey(string journey, int version, string customer, int sequence, string step, int send) =>
        $"{journey}:{version}:{Escape(customer)}:{sequence}:{Escape(step)}:{send}";

    private static string Escape(string part) =>
        part.AsSpan().IndexOfAny('%', ':') < 0 ? part : part.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal);

    private RenderedTemplate? Render(CustomerState customer, string customerId, CompiledJourney journey, int version, CompiledStep step, SendDefinition send,
        TraitSnapshot traits, IReadOnlyDictionary<string, object?> eventProperties, long now, JourneyInstance? run)
    {
        var templates = _model.Catalog.Templates;
        if (templates.Count == 0)
        {
            return null;
        }

        // What the templates read, in place: no dictionary is built per send (TemplateRenderer).
        _renderer ??= new TemplateRenderer(templates);
        var values = new TemplateSend(traits, customerId, customer.TierIn(_model.Customers), customer.TimeZoneIn(_model.Customers).Id,
            eventProperties, _ctx.Event?.Type, journey.Id, version, step.Name,
            run is not null, run?.EntryProperties, run is { } r ? new DateTimeOffset(r.EnteredTicks, TimeSpan.Zero) : default);
        return _renderer.Render(send.Template, send.Channel, values, TemplateLimits, new DateTimeOffset(now, TimeSpan.Zero));
    }

    /// <summary>The open run of journey <paramref name="journey"/> entered as <paramref name="sequence"/>, or null when it ended.</summary>
    private static JourneyInstance? RunOf(CustomerState customer, int journey, int sequence)
    {
        for (var at = customer.RunOf(journey); at is { } run; at = run.NextCase)
        {
            if (run.Sequence == sequence)
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>Retries the customer's deferred sends that are due: highest priority first, then the longest waiting,
    /// so when a cap frees one slot the most important send takes it.</summary>
    public void ReleaseDeferred(CustomerState customer, long now)
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
            Send(customer, journey, d.Version, d.Sequence, journey.Steps[d.Step], d.SendIndex, now, d.DeferredAtTicks, d.Reason,
                RunOf(customer, d.Journey, d.Sequence), d.Case);
        }
    }

    /// <summary>A customer who leaves a journey early takes its waiting sends along: each is recorded as suppressed.</summary>
    public void DropDeferred(CustomerState customer, CompiledJourney journey, long now, DecisionReason reason, int? sequence = null)
    {
        if (customer.Deferred is not { } pending)
        {
            return;
        }

        // A journey with cases drops the held sends of the run that ended (by its entry's sequence); others, all of the journey's.
        bool Dropped(DeferredSend d) => d.Journey == journey.Index && (sequence is null || d.Sequence == sequence);
        DeriveTier(customer); // the tier of the moment: a customer restored from a store has none cached yet
        foreach (var d in pending.Where(Dropped))
        {
            _decisions.EmitRuleFailures(_ctx, now, customer, journey, d.Version, journey.Steps[d.Step].Name); // a tier's rule, at the first
            var send = journey.Steps[d.Step].Sends[d.SendIndex];
            _decisions.EmitSend(now, customer, journey, d.Version, journey.Steps[d.Step].Name, DecisionKind.Suppressed, send, reason, d.Case);
        }

        _ctx.RuleFailures?.Clear(); // a tier rule that failed with no held send of this journey to tell it at: never at another decision

        customer.RemoveDeferred(Dropped);
    }

    /// <summary>The customer's tier now: the first tier whose condition holds, else <c>default</c>. Derived on demand
    /// (when a send is checked or an expression reads <c>customer.tier</c>), never per event, so tiers always reflect
    /// the traits and activity of the moment and idle events pay nothing for them.</summary>
    public string DeriveTier(CustomerState customer)
    {
        var tiers = _model.Tiers;
        if (tiers.Length == 0 || _derivingTier)
        {
            return customer.TierIn(_model.Customers);
        }

        var (savedCustomer, savedEvent) = (_ctx.Customer, _ctx.Event);
        _derivingTier = true;
        _ctx.Customer = customer;
        _ctx.Event = null; // tiers see the customer, never an event
        try
        {
            var tier = CustomerState.DefaultTier;
            foreach (var t in tiers)
            {
                if (t.Condition.IsTrue(_ctx))
                {
                    tier = t.Name;
                    break;
                }
            }

            customer.SetTier(_model.Customers, tier);
            return tier;
        }
        finally
        {
            (_ctx.Customer, _ctx.Event) = (savedCustomer, savedEvent);
            _derivingTier = false;
        }
    }
}
