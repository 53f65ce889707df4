using Journeys.Calendars;
using Journeys.Language.Expressions;

namespace Journeys.Language.Definitions;

/// <summary><c>entry: { schedule: { every: week, on: mon, at: "10:00" }, if: ... }</c>: every known customer for whom the
/// guard holds is entered at each occurrence, at its local time in their own zone (a one-off <c>schedule: { at: instant }</c>:
/// everyone at that instant).</summary>
/// <param name="Rule">When the schedule comes round.</param>
/// <param name="Guard">Who is entered, evaluated per customer at the occurrence; null: everyone.</param>
internal sealed record ScheduleEntry(ScheduleRule Rule, JourneyExpression? Guard) : EntryDefinition
{
    /// <inheritdoc />
    public override string Describe() => Guard is null ? $"schedule {Rule.Describe()}" : $"schedule {Rule.Describe()} if {Guard.Text}";
}
