
namespace Journeys.Inspection;

/// <summary>How customers enter a journey: the key written under <c>entry:</c>.</summary>
public enum EntryKind
{
    /// <summary><c>entry: { on: event, if: guard }</c>: an event of that type enters the customer.</summary>
    On,

    /// <summary><c>entry: { when: condition }</c>: entered as soon as the condition becomes true.</summary>
    When,

    /// <summary><c>entry: { inactive: { for: 90d, of: [...] } }</c>: entered when none of the events happened for that long.</summary>
    Inactive,

    /// <summary><c>entry: { date: { trait, every, offset, at } }</c>: entered at a local time derived from a date trait.</summary>
    Date,

    /// <summary><c>entry: { schedule: { every, on, at, lunar }, if: guard }</c>: every known customer for whom the guard
    /// holds, at each occurrence in their own zone (or a one-off instant).</summary>
    Schedule,
}
