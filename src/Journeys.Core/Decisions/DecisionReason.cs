using System.Globalization;
using Journeys.Language.Definitions;

namespace Journeys.Decisions;

/// <summary>Why the engine made a decision, typed: a <see cref="Kind"/> and the fields that kind has (the event type, the
/// cap, the expression's text, the split branch, the duration, the error...), with <see cref="Text"/> the words operators
/// read — <c>journeys simulate</c>'s <c>reason</c> field and <see cref="JourneyDecision.Reason"/> — exactly as they
/// always were. The text is a function of the kind and fields, made once when the reason is made.</summary>
/// <remarks>A sealed class, not a struct: the engine makes a journey's reasons once when it compiles it (labels, exits,
/// goal, caps) and every decision for them refers to that one object, so a decision carries a reference rather than a
/// copy of a dozen fields, and reading <see cref="Text"/> never formats or allocates. Only reasons that carry run-time
/// text (a failure's message, a version move) are made when they happen.</remarks>
public sealed partial record DecisionReason
{
    private DecisionReason(ReasonKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>What kind of reason this is; it says which of the other fields are set.</summary>
    public ReasonKind Kind { get; }

    /// <summary>The reason as operators read it (<c>cap:normal</c>, <c>on signed_up</c>, <c>split 1/2</c>).</summary>
    public string Text { get; }

    /// <summary>The traits a step sets, for <see cref="ReasonKind.TraitsSet"/>.</summary>
    public IReadOnlyList<string>? Traits { get; private init; }

    /// <summary>The event type, for <see cref="ReasonKind.Event"/>, <see cref="ReasonKind.Exit"/> and
    /// <see cref="ReasonKind.Goal"/>.</summary>
    public string? EventType { get; private init; }

    /// <summary>The expression's source text: a <see cref="ReasonKind.When"/> entry's condition, a
    /// <see cref="ReasonKind.Condition"/> branch's, an <see cref="ReasonKind.Event"/> transition's guard.</summary>
    public string? Expression { get; private init; }

    /// <summary>The duration of an <see cref="ReasonKind.Inactive"/> entry, a <see cref="ReasonKind.Timer"/>, or the
    /// <c>validFor</c> of an <see cref="ReasonKind.Expired"/> send.</summary>
    public TimeSpan? Duration { get; private init; }

    /// <summary>The trait a <see cref="ReasonKind.Date"/> entry reads.</summary>
    public string? Trait { get; private init; }

    /// <summary>The occurrence that entered the customer, in their zone's offset, for <see cref="ReasonKind.Schedule"/>
    /// (null on the reason a journey is described with before any occurrence).</summary>
    public DateTimeOffset? Occurrence { get; private init; }

    /// <summary>The branch taken, from 1, for <see cref="ReasonKind.Split"/> (else 0).</summary>
    public int Branch { get; private init; }

    /// <summary>How many branches the <see cref="ReasonKind.Split"/> has (else 0).</summary>
    public int Branches { get; private init; }

    /// <summary>The cap's name, for <see cref="ReasonKind.Cap"/>: its tier, channel and journey joined by <c>/</c>, or
    /// <c>all</c>.</summary>
    public string? Cap { get; private init; }

    /// <summary>The template, for <see cref="ReasonKind.Template"/>.</summary>
    public string? Template { get; private init; }

    /// <summary>The rule (<c>Workflow.Rule</c>), for <see cref="ReasonKind.RuleError"/>.</summary>
    public string? Rule { get; private init; }

    /// <summary>The journey version: the one left for <see cref="ReasonKind.Migrated"/>, the one concerned for
    /// <see cref="ReasonKind.VersionChanged"/>, <see cref="ReasonKind.StepRemoved"/> and <see cref="ReasonKind.NoWayOut"/>.</summary>
    public int? Version { get; private init; }

    /// <summary>The step, for <see cref="ReasonKind.StepRemoved"/> and <see cref="ReasonKind.NoWayOut"/>.</summary>
    public string? Step { get; private init; }

    /// <summary>What went wrong, for <see cref="ReasonKind.Template"/>, <see cref="ReasonKind.Delivery"/> and
    /// <see cref="ReasonKind.RuleError"/>.</summary>
    public string? Message { get; private init; }

    /// <summary><see cref="ReasonKind.When"/>: <c>when</c>.</summary>
    public static DecisionReason When(string condition) => new(ReasonKind.When, "when") { Expression = condition };

    /// <summary><see cref="ReasonKind.Event"/>: <c>on signed_up</c>, or <c>on clicked if guard</c> for a transition with a guard.</summary>
    public static DecisionReason Event(string eventType, string? guard = null) =>
        new(ReasonKind.Event, guard is null ? $"on {eventType}" : $"on {eventType} if {guard}") { EventType = eventType, Expression = guard };

    /// <summary><see cref="ReasonKind.Inactive"/>: <c>inactive 90d</c>.</summary>
    public static DecisionReason Inactive(TimeSpan quietFor) => new(ReasonKind.Inactive, "inactive " + FormatDuration(quietFor)) { Duration = quietFor };

    /// <summary><see cref="ReasonKind.Date"/>: <c>date birthday</c>.</summary>
    public static DecisionReason Date(string trait) => new(ReasonKind.Date, "date " + trait) { Trait = trait };

    /// <summary><see cref="ReasonKind.Schedule"/>: <c>schedule 2026-01-12T10:00:00+08:00</c>, the occurrence that entered
    /// the customer; <c>schedule</c> when null.</summary>
    public static DecisionReason Schedule(DateTimeOffset? occurrence) =>
        new(ReasonKind.Schedule, occurrence is { } o ? "schedule " + o.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "schedule")
        {
            Occurrence = occurrence,
        };

    /// <summary><see cref="ReasonKind.Timer"/>: <c>after 7d</c>.</summary>
    public static DecisionReason Timer(TimeSpan after) => new(ReasonKind.Timer, "after " + FormatDuration(after)) { Duration = after };

    /// <summary><see cref="ReasonKind.Timer"/> of a working-time, <c>from: entry</c> or <c>until</c> timer, by its label:
    /// <c>after 7bd from entry</c>, <c>until 10:00 mon-fri</c>.</summary>
    internal static DecisionReason TimerLabel(string label) => new(ReasonKind.Timer, label);

    /// <summary><see cref="ReasonKind.Condition"/>: <c>if condition</c>.</summary>
    public static DecisionReason Condition(string condition) => new(ReasonKind.Condition, "if " + condition) { Expression = condition };

    /// <summary><see cref="ReasonKind.Always"/>: <c>always</c>.</summary>
    public static DecisionReason Always { get; } = new(ReasonKind.Always, "always");

    /// <summary><see cref="ReasonKind.Split"/>: <c>split 1/2</c> (<paramref name="branch"/> from 1).</summary>
    public static DecisionReason Split(int branch, int branches)
    {
        if (branches < 1 || branch < 1 || branch > branches)
        {
            throw new ArgumentOutOfRangeException(nameof(branch), $"a split branch is 1 to the number of branches ({branches}), not {branch}");
        }

        return new(ReasonKind.Split, string.Create(CultureInfo.InvariantCulture, $"split {branch}/{branches}")) { Branch = branch, Branches = branches };
    }

    /// <summary><see cref="ReasonKind.NoBranch"/>: <c>no branch matched</c>.</summary>
    public static DecisionReason NoBranch { get; } = new(ReasonKind.NoBranch, "no branch matched");

    /// <summary><see cref="ReasonKind.Loop"/>: <c>loop: arrival branches never settle</c>.</summary>
    public static DecisionReason Loop { get; } = new(ReasonKind.Loop, "loop: arrival branches never settle");

    /// <summary><see cref="ReasonKind.Exit"/>: <c>exit:unsubscribed</c>.</summary>
    public static DecisionReason Exit(string eventType) => new(ReasonKind.Exit, "exit:" + eventType) { EventType = eventType };

    /// <summary><see cref="ReasonKind.Goal"/>: <c>goal:order_completed</c>.</summary>
    public static DecisionReason Goal(string eventType) => new(ReasonKind.Goal, "goal:" + eventType) { EventType = eventType };

    /// <summary><see cref="ReasonKind.Cap"/>: <c>cap:normal</c>.</summary>
    public static DecisionReason Capped(string cap) => new(ReasonKind.Cap, "cap:" + cap) { Cap = cap };

    /// <summary><see cref="ReasonKind.QuietHours"/>: <c>quiet-hours</c>.</summary>
    public static DecisionReason QuietHours { get; } = new(ReasonKind.QuietHours, "quiet-hours");

    /// <summary><see cref="ReasonKind.Consent"/>: <c>consent</c>.</summary>
    public static DecisionReason Consent { get; } = new(ReasonKind.Consent, "consent");

    /// <summary><see cref="ReasonKind.Stale"/>: <c>stale</c>.</summary>
    public static DecisionReason Stale { get; } = new(ReasonKind.Stale, "stale");

    /// <summary><see cref="ReasonKind.Expired"/>: <c>expired after 2d</c>, a held send past its <c>validFor</c>.</summary>
    public static DecisionReason Expired(TimeSpan validFor) => new(ReasonKind.Expired, "expired after " + FormatDuration(validFor)) { Duration = validFor };

    /// <summary><see cref="ReasonKind.Template"/>: <c>template 'welcome': message</c>.</summary>
    public static DecisionReason TemplateFailed(string template, string message) =>
        new(ReasonKind.Template, $"template '{template}': {message}") { Template = template, Message = message };

    /// <summary><see cref="ReasonKind.Delivery"/>: the channel's reason, as it gave it.</summary>
    public static DecisionReason Delivery(string message) => new(ReasonKind.Delivery, message) { Message = message };

    /// <summary><see cref="ReasonKind.Migrated"/>: <c>migrated from v1</c>.</summary>
    public static DecisionReason Migrated(int fromVersion) =>
        new(ReasonKind.Migrated, string.Create(CultureInfo.InvariantCulture, $"migrated from v{fromVersion}")) { Version = fromVersion };

    /// <summary><see cref="ReasonKind.VersionChanged"/>: <c>version 1 changed</c>.</summary>
    public static DecisionReason VersionChanged(int version) =>
        new(ReasonKind.VersionChanged, string.Create(CultureInfo.InvariantCulture, $"version {version} changed")) { Version = version };

    /// <summary><see cref="ReasonKind.StepRemoved"/>: <c>version 2 has no step 'consult'</c>.</summary>
    public static DecisionReason StepRemoved(int version, string step) =>
        new(ReasonKind.StepRemoved, string.Create(CultureInfo.InvariantCulture, $"version {version} has no step '{step}'")) { Version = version, Step = step };

    /// <summary><see cref="ReasonKind.NoWayOut"/>: <c>version 2: step 'wait' has no way out</c>.</summary>
    public static DecisionReason NoWayOut(int version, string step) =>
        new(ReasonKind.NoWayOut, string.Create(CultureInfo.InvariantCulture, $"version {version}: step '{step}' has no way out")) { Version = version, Step = step };

    /// <summary><see cref="ReasonKind.RuleError"/>: <c>rule-error:Workflow.Rule: message</c>.</summary>
    public static DecisionReason RuleError(string rule, string message) =>
        new(ReasonKind.RuleError, $"rule-error:{rule}: {message}") { Rule = rule, Message = message };

    /// <summary><see cref="ReasonKind.TraitsSet"/>: <c>set stage, points</c>.</summary>
    public static DecisionReason TraitsSet(IReadOnlyList<string> traits) =>
        new(ReasonKind.TraitsSet, "set " + string.Join(", ", traits)) { Traits = traits };

    /// <summary><see cref="ReasonKind.Called"/>: <c>call loyalty-credit: {"status":"ok"}</c>, the answer as compact JSON.</summary>
    public static DecisionReason Called(string action, string answer) => new(ReasonKind.Called, $"call {action}: {answer}") { Message = answer };

    /// <summary><see cref="ReasonKind.Emitted"/>: <c>emit vip_joined</c>.</summary>
    public static DecisionReason Emitted(string eventType) => new(ReasonKind.Emitted, "emit " + eventType) { EventType = eventType };

    /// <summary><see cref="ReasonKind.EmitChain"/>: <c>emit-chain:vip_joined: more than 8 chained events at one instant</c>.</summary>
    public static DecisionReason EmitChain(string eventType, int limit) =>
        new(ReasonKind.EmitChain, string.Create(CultureInfo.InvariantCulture, $"emit-chain:{eventType}: more than {limit} chained events at one instant")) { EventType = eventType };

    /// <summary><see cref="ReasonKind.Removed"/>: <c>removed</c>.</summary>
    public static DecisionReason Removed { get; } = new(ReasonKind.Removed, "removed");

    /// <summary>The <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    /// <summary>A duration the way operators write it, in the largest exact unit of days, hours or minutes (<c>14d</c>,
    /// not <c>2w</c>). The language's <c>Duration.Format</c> is this.</summary>
    internal static string FormatDuration(TimeSpan value)
    {
        var minutes = (long)value.TotalMinutes;
        if (minutes != 0 && minutes % 1440 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{minutes / 1440}d");
        }

        return minutes != 0 && minutes % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}h")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}m");
    }
}
