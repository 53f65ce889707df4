namespace Journeys.Inspection;

/// <summary>The kinds of a step's transitions (<c>then:</c>), named by the key that starts them.</summary>
public enum TransitionKind
{
    /// <summary><c>{ on: event, if: guard, goto: step }</c>: waits for the event while in the step.</summary>
    On,

    /// <summary><c>{ after: 7d, goto: step }</c>: a timer started on arrival (or, with <c>from: entry</c>, at the run's entry).</summary>
    After,

    /// <summary><c>{ if: condition, goto: step }</c>: a branch decided on arrival.</summary>
    If,

    /// <summary><c>{ goto: step }</c>: moves on at once on arrival.</summary>
    Goto,

    /// <summary><c>{ split: [ { weight, goto } ... ] }</c>: a weighted random split decided on arrival.</summary>
    Split,

    /// <summary><c>{ until: { at: "10:00", days: [mon] }, goto: step }</c>: waits for a local time.</summary>
    Until,
}
