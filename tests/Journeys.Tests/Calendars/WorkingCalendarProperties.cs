using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Calendars;
using Journeys.State;

namespace Journeys.Tests.Calendars;

/// <summary>What must hold for every start and duration on working-time calendars: ends never move backwards when the
/// start moves forwards, <c>Nbd</c> ends at a working day's close, working hours end inside working hours, adding working
/// hours in pieces equals adding them at once, and <c>until</c> on a calendar is the first such time after the start.</summary>
public sealed class WorkingCalendarProperties
{
    private const long Hour = TimeSpan.TicksPerHour;
    private static readonly long Origin = WorkingCalendarTests.Ticks("2026-01-01T00:00:00Z");

    private static readonly WorkingCalendar[] Calendars =
    [
        WorkingCalendarTests.SpecCalendar(),
        // A zone with clock changes, hours that cross none, holidays and workdays around them.
        new("berlin", TimeZones.Find("Europe/Berlin"), new WeekDays(0b0111110), new TimeOnly(8, 30), new TimeOnly(17, 15),
            [.. WorkingCalendarTests.Range("2026-03-27", "2026-04-06"), WorkingCalendarTests.D("2026-10-26")], [WorkingCalendarTests.D("2026-03-29")]),
        // Whole working days in a zone with clock changes (a day of 23 or 25 hours).
        new("ny-all-day", TimeZones.Find("America/New_York"), new WeekDays(0b0011110), null, null, [WorkingCalendarTests.D("2026-11-26")], []),
    ];

    private static Gen<(WorkingCalendar Calendar, long Start, int Count)> Inputs(int maxCount) =>
        from c in Gen.Choose(0, Calendars.Length - 1)
        from minutes in Gen.Choose(0, 366 * 24 * 60)
        from n in Gen.Choose(1, maxCount)
        select (Calendars[c], Origin + (minutes * TimeSpan.TicksPerMinute), n);

    [Property(MaxTest = 300)]
    public Property WorkingTime_IsMonotoneInTheStart() =>
        Prop.ForAll(Arb.From(Inputs(40)), Arb.From(Gen.Choose(0, 72 * 60)), Arb.From(Gen.Elements(true, false)), (input, laterMinutes, days) =>
        {
            var (calendar, start, n) = input;
            var d = new WorkingDuration(n, days);
            Assert.True(d.AddTo(calendar, start) <= d.AddTo(calendar, start + (laterMinutes * TimeSpan.TicksPerMinute)));
            Assert.True(d.AddTo(calendar, start) > start);
        });

    [Property(MaxTest = 300)]
    public Property WorkingDays_EndAtTheCloseOfAWorkingDayAfterTheStartDate() =>
        Prop.ForAll(Arb.From(Inputs(30)), input =>
        {
            var (calendar, start, n) = input;
            var end = new WorkingDuration(n, Days: true).AddTo(calendar, start);
            var closeLocal = TimeZoneInfo.ConvertTime(new DateTimeOffset(end, TimeSpan.Zero), calendar.Zone).DateTime;
            // Without hours a day closes at the midnight that ends it: the working day is the one before.
            var day = DateOnly.FromDateTime(calendar.Close is null ? closeLocal.AddTicks(-1) : closeLocal);
            Assert.True(calendar.IsWorkingDay(day), $"{day} is not a working day");
            Assert.Equal(calendar.Close ?? TimeOnly.MinValue, TimeOnly.FromDateTime(closeLocal));
            var startDay = LocalClock.LocalDate(start, calendar.Zone);
            var between = Enumerable.Range(1, day.DayNumber - startDay.DayNumber).Count(i => calendar.IsWorkingDay(startDay.AddDays(i)));
            Assert.Equal(n, between);
        });

    [Property(MaxTest = 300)]
    public Property WorkingHours_EndInsideTheWorkingHoursOfAWorkingDay() =>
        Prop.ForAll(Arb.From(Inputs(60)), input =>
        {
            var (calendar, start, n) = input;
            var end = new WorkingDuration(n, Days: false).AddTo(calendar, start);
            var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(end - 1, TimeSpan.Zero), calendar.Zone).DateTime; // the last tick counted
            Assert.True(calendar.IsWorkingDay(DateOnly.FromDateTime(local)));
            var time = TimeOnly.FromDateTime(local);
            Assert.True(time >= (calendar.Open ?? TimeOnly.MinValue) && (calendar.Close is not { } close || time < close), $"{local} is outside working hours");
        });

    [Property(MaxTest = 300)]
    public Property WorkingHours_InPieces_EqualAtOnce() =>
        Prop.ForAll(Arb.From(Inputs(50)), Arb.From(Gen.Choose(1, 50)), (input, more) =>
        {
            var (calendar, start, n) = input;
            var atOnce = calendar.AddWorkingTime(start, TimeSpan.FromHours(n + more));
            var inPieces = calendar.AddWorkingTime(calendar.AddWorkingTime(start, TimeSpan.FromHours(n)), TimeSpan.FromHours(more));
            Assert.Equal(atOnce, inPieces);
        });

    [Property(MaxTest = 200)]
    public Property WorkingDays_InPieces_EqualAtOnce_WhenDaysCloseBeforeMidnight() =>
        Prop.ForAll(Arb.From(Inputs(20)), Arb.From(Gen.Choose(1, 20)), (input, more) =>
        {
            var (calendar, start, n) = input;
            if (calendar.Close is null)
            {
                return; // a whole-day calendar closes on the next date: counting on from there skips nothing, but starts a day later
            }

            Assert.Equal(calendar.AddWorkingDays(start, n + more), calendar.AddWorkingDays(calendar.AddWorkingDays(start, n), more));
        });

    [Property(MaxTest = 300)]
    public Property NextWorkingAt_IsTheFirstSuchTimeStrictlyAfter() =>
        Prop.ForAll(Arb.From(Inputs(1)), Arb.From(Gen.Choose(0, (24 * 4) - 1)), (input, quarter) =>
        {
            var (calendar, start, _) = input;
            var at = new TimeOnly(quarter / 4, quarter % 4 * 15);
            var due = calendar.NextWorkingAt(start, at);
            Assert.True(due > start);
            var dueDay = LocalClock.LocalDate(due, calendar.Zone);
            Assert.True(calendar.IsWorkingDay(dueDay));
            // No working day between the start's date and the due date has `at` after the start.
            for (var day = LocalClock.LocalDate(start, calendar.Zone); day < dueDay; day = day.AddDays(1))
            {
                Assert.False(calendar.IsWorkingDay(day) && LocalClock.ToUtcFirstValidAfter(day.ToDateTime(at), calendar.Zone) > start, $"{day} {at} comes first");
            }

            Assert.True(due - start < 40 * 24 * Hour);
        });
}
