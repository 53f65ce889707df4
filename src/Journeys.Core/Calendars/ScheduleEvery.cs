namespace Journeys.Calendars;

/// <summary>How often a <c>schedule:</c> entry comes round: the value of its <c>every</c>, or <see cref="Once"/> for a
/// one-off <c>schedule: { at: instant }</c>.</summary>
internal enum ScheduleEvery : byte
{
    /// <summary>A one-off contact at one instant, for everyone.</summary>
    Once,

    /// <summary>Every day at <c>at</c>.</summary>
    Day,

    /// <summary>On one weekday of every week.</summary>
    Week,

    /// <summary>On one day (or the last) of every month.</summary>
    Month,

    /// <summary>On one day of January, April, July and October.</summary>
    Quarter,

    /// <summary>On one Gregorian or lunar month and day every year.</summary>
    Year,
}
