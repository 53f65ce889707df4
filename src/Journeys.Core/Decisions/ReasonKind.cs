using Journeys.Language.Definitions;

namespace Journeys.Decisions;

/// <summary>What a decision's reason is (<see cref="DecisionReason.Kind"/>): the construct of the language that fired, the
/// policy rule that held a send back, or what went wrong. Each kind has the fields <see cref="DecisionReason"/> lists for
/// it, and one form of text.</summary>
public enum ReasonKind
{
    /// <summary>An event: an <c>on:</c> entry (<c>on signed_up</c>) or an <c>on:</c> transition, with its guard when it
    /// has one (<c>on clicked if event.button == 'buy'</c>). Fields: <see cref="DecisionReason.EventType"/>,
    /// <see cref="DecisionReason.Expression"/> (a transition's guard, else null).</summary>
    Event,

    /// <summary>A <c>when:</c> entry's condition held (<c>when</c>). Field: <see cref="DecisionReason.Expression"/>.</summary>
    When,

    /// <summary>An <c>inactive:</c> entry's quiet period ran (<c>inactive 90d</c>). Field: <see cref="DecisionReason.Duration"/>.</summary>
    Inactive,

    /// <summary>A <c>date:</c> entry's day came (<c>date birthday</c>). Field: <see cref="DecisionReason.Trait"/>.</summary>
    Date,

    /// <summary>A step's <c>after:</c> timer fired (<c>after 7d</c>). Field: <see cref="DecisionReason.Duration"/>.</summary>
    Timer,

    /// <summary>An <c>if:</c> branch held on arrival (<c>if count('order', 30) > 0</c>). Field:
    /// <see cref="DecisionReason.Expression"/>.</summary>
    Condition,

    /// <summary>An unconditional <c>goto:</c> (<c>always</c>). No fields.</summary>
    Always,

    /// <summary>A weighted <c>split:</c> sent the customer down a branch (<c>split 1/2</c>). Fields:
    /// <see cref="DecisionReason.Branch"/> (1-based) and <see cref="DecisionReason.Branches"/>.</summary>
    Split,

    /// <summary>A step of only <c>if:</c> branches where none held: the journey completes (<c>no branch matched</c>).</summary>
    NoBranch,

    /// <summary>Arrival branches moved the customer more than the engine allows at one instant: the run is ended
    /// (<c>loop: arrival branches never settle</c>).</summary>
    Loop,

    /// <summary>An <c>exit:</c> rule (<c>exit:unsubscribed</c>). Field: <see cref="DecisionReason.EventType"/>.</summary>
    Exit,

    /// <summary>The journey's <c>goal:</c> (<c>goal:order_completed</c>), on the <c>goal</c> decision and the <c>exited</c>
    /// that may follow. Field: <see cref="DecisionReason.EventType"/>.</summary>
    Goal,

    /// <summary>A frequency cap refused or held a send (<c>cap:normal</c>). Field: <see cref="DecisionReason.Cap"/>, the
    /// cap's name (its tier, channel and journey joined by <c>/</c>, or <c>all</c>).</summary>
    Cap,

    /// <summary>Quiet hours held a send (<c>quiet-hours</c>). No fields.</summary>
    QuietHours,

    /// <summary>The customer's <c>consent.&lt;channel&gt;</c> trait is false (<c>consent</c>). No fields.</summary>
    Consent,

    /// <summary>A send decided too long before the engine's clock, in a catch-up (<c>stale</c>). No fields.</summary>
    Stale,

    /// <summary>A message's template failed to render (<c>template 'welcome': ...</c>). Fields:
    /// <see cref="DecisionReason.Template"/>, <see cref="DecisionReason.Message"/>.</summary>
    Template,

    /// <summary>Delivery gave up on a message; the text is the channel's last reason. Field:
    /// <see cref="DecisionReason.Message"/>.</summary>
    Delivery,

    /// <summary>A customer moved to a new version of the journey, to the step of the same name (<c>migrated from v1</c>).
    /// Field: <see cref="DecisionReason.Version"/> (the version left).</summary>
    Migrated,

    /// <summary>The journey's text changed under the same version number; customers inside moved to the step of the same
    /// name (<c>version 1 changed</c>). Field: <see cref="DecisionReason.Version"/>.</summary>
    VersionChanged,

    /// <summary>The journey's new version has no step of the name the customer was at: the customer leaves
    /// (<c>version 2 has no step 'consult'</c>). Fields: <see cref="DecisionReason.Version"/> (the new version),
    /// <see cref="DecisionReason.Step"/>.</summary>
    StepRemoved,

    /// <summary>A customer moved to a new version stands at a step without a <c>then</c> there: the journey completes
    /// (<c>version 2: step 'wait' has no way out</c>). Fields: <see cref="DecisionReason.Version"/>,
    /// <see cref="DecisionReason.Step"/>.</summary>
    NoWayOut,

    /// <summary>A <c>rule('Workflow.Rule')</c> failed to evaluate for the customer: it counted as not holding, and a
    /// <c>failed</c> decision says so (<c>rule-error:Tiers.HighValue: ...</c>). Fields: <see cref="DecisionReason.Rule"/>,
    /// <see cref="DecisionReason.Message"/>.</summary>
    RuleError,

    /// <summary>An operator took the customer out of the journey (<c>JourneyEngine.RemoveFromJourneyAsync</c>):
    /// <c>removed</c>. No fields.</summary>
    Removed,
    /// <summary>A held send's <c>validFor</c> ran out before quiet hours or a cap let it go: it is dropped
    /// (<c>expired after 2d</c>). Field: <see cref="DecisionReason.Duration"/> (the <c>validFor</c>).</summary>
    Expired,

    /// <summary>An entering event of a journey with <c>case:</c> whose key is null (or empty text): no run is entered
    /// (<c>no case: event.ticketId is null</c>). Field: <see cref="DecisionReason.Expression"/> (the case key's text).</summary>
    NoCase,

    /// <summary>An entering event of a journey with <c>case:</c> found <c>maxCases</c> runs open: no run is entered
    /// (<c>maxCases 20 reached</c>). Field: <see cref="DecisionReason.MaxCases"/>.</summary>
    CasesFull,
    /// <summary>A step stored traits (<c>set:</c>): <c>set stage, points</c>. Field: <see cref="DecisionReason.Traits"/>
    /// (the traits the step sets, in the order written).</summary>
    TraitsSet,

    /// <summary>A step published an event (<c>emit:</c>): <c>emit vip_joined</c>. Field:
    /// <see cref="DecisionReason.EventType"/>.</summary>
    Emitted,

    /// <summary>A step's event was not published: it would have been the ninth of a chain of events emitted at one
    /// instant (<c>emit-chain:vip_joined: more than 8 chained events at one instant</c>); the decision is <c>failed</c>.
    /// Field: <see cref="DecisionReason.EventType"/>.</summary>
    EmitChain,
    /// <summary>A <c>schedule:</c> entry's occurrence came (<c>schedule 2026-01-12T10:00:00+08:00</c>, the occurrence in
    /// the customer's zone). Field: <see cref="DecisionReason.Occurrence"/>.</summary>
    Schedule,

    /// <summary>An action a step called answered (<c>call loyalty-credit: {"status":"ok"}</c>), on the <c>called</c>
    /// decision. Field: <see cref="DecisionReason.Message"/> (the answer, compact JSON).</summary>
    Called,
}
