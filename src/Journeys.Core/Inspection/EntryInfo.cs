using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>How customers enter a journey, as written: its <see cref="Kind"/> and the fields of that kind (the others are
/// null or empty).</summary>
public sealed class EntryInfo
{
    internal EntryInfo(EntryDefinition entry)
    {
        Location = entry.Location;
        Text = entry.Describe();
        switch (entry)
        {
            case EventEntry e:
                (Kind, EventType, Guard) = (EntryKind.On, e.EventType, e.Guard?.Text);
                break;
            case ConditionEntry c:
                (Kind, Condition) = (EntryKind.When, c.Condition.Text);
                break;
            case InactivityEntry i:
                (Kind, InactiveFor, InactiveOf) = (EntryKind.Inactive, i.For, i.Of);
                break;
            case DateEntry d:
                (Kind, Trait, EveryYear, Offset, At, Lunar) = (EntryKind.Date, d.Trait, d.EveryYear, d.Offset, d.At, d.Lunar);
                break;
            case ScheduleEntry s:
                (Kind, Schedule, Guard, Lunar) = (EntryKind.Schedule, s.Rule.Describe(), s.Guard?.Text, s.Rule.Lunar);
                At = s.Rule.IsOneInstant ? null : s.Rule.At;
                break;
            default:
                throw new InvalidOperationException($"an entry of kind {entry.GetType().Name} has no inspection form");
        }
    }

    /// <summary>The entry's kind.</summary>
    public EntryKind Kind { get; }

    /// <summary><see cref="EntryKind.On"/>: the entering event's type.</summary>
    public string? EventType { get; }

    /// <summary><see cref="EntryKind.On"/> and <see cref="EntryKind.Schedule"/>: the guard's source text, or null when
    /// there is none.</summary>
    public string? Guard { get; }

    /// <summary><see cref="EntryKind.When"/>: the condition's source text.</summary>
    public string? Condition { get; }

    /// <summary><see cref="EntryKind.Inactive"/>: how long the customer must have been inactive.</summary>
    public TimeSpan? InactiveFor { get; }

    /// <summary><see cref="EntryKind.Inactive"/>: the event types that count as activity (empty for other kinds).</summary>
    public IReadOnlyList<string> InactiveOf { get; } = [];

    /// <summary><see cref="EntryKind.Date"/>: the trait holding the date.</summary>
    public string? Trait { get; }

    /// <summary><see cref="EntryKind.Date"/>: true for a yearly anniversary.</summary>
    public bool EveryYear { get; }

    /// <summary><see cref="EntryKind.Date"/>: how far the date is moved (negative for "before"); zero otherwise.</summary>
    public TimeSpan Offset { get; }

    /// <summary><see cref="EntryKind.Date"/> and a repeating <see cref="EntryKind.Schedule"/>: the local time of day, in
    /// the customer's time zone.</summary>
    public TimeOnly? At { get; }

    /// <summary><see cref="EntryKind.Schedule"/>: when it comes round, as written (<c>every week on mon at 10:00</c>,
    /// <c>every year lunar 08-15 at 09:00</c>, <c>at 2026-03-01T10:00:00+08:00</c>).</summary>
    public string? Schedule { get; }

    /// <summary>True for a <see cref="EntryKind.Date"/> read in the lunisolar calendar, and a
    /// <see cref="EntryKind.Schedule"/> on a lunar month and day.</summary>
    public bool Lunar { get; }

    /// <summary>The entry in words, as <c>journeys explain</c> tells it: <c>on signed_up if customer.country != 'test'</c>,
    /// <c>when ...</c>, <c>inactive 90d of login</c>, <c>date birthday every year at 09:00</c>.</summary>
    public string Text { get; }

    /// <summary>Where the entry was written.</summary>
    public SourceLocation Location { get; }

    /// <summary>Returns <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
