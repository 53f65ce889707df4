using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Policy;
using Journeys.State;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary>The sample journeys run with events at both ends of the calendar (0001-01-01 and 9999-12-31): due times,
/// windows, deadlines and quiet hours past the end are never, and nothing throws.</summary>
public sealed class CalendarEndTests
{
    private static readonly DateTimeOffset LastSecond = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private static readonly string[] Zones = ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York", "Asia/Shanghai"];

    private static readonly Lazy<JourneyCatalog> Samples = new(() =>
        JourneyLoader.LoadFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys")).ThrowIfInvalid());

    [Fact]
    public void SampleEvents_SimulatedUntilTheCalendarsLastSecond_BirthdaysEveryYearUpTo9999()
    {
        var (inputs, errors) = SegmentReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "samples", "events.jsonl"));
        Assert.Empty(errors);

        var birthdays = new Simulator(Samples.Value).Run(inputs, LastSecond)
            .Where(d => d.JourneyId == "birthday" && d.Kind == DecisionKind.Entered).Select(d => At(d.Timestamp)).ToList();

        Assert.Equal(9999 - 2026 + 1, birthdays.Count); // c1's birthday (14 February, 09:00 in Shanghai) every year
        Assert.Equal("9999-02-14T01:00:00Z", birthdays[^1]);
    }

    [Fact]
    public void SignUpAtTheCalendarsLastSecond_EntersAndNeverFiresTimersPastTheEnd()
    {
        var script = new Script()
            .Identify("c1", LastSecond.AddHours(-1), "Etc/GMT+12", ("birthday", "12-31"), ("serviceEndsAt", "9999-12-31T23:00:00Z"))
            .Track("c1", "signed_up", LastSecond)
            .Track("c2", "signed_up", LastSecond)
            .Track("c2", "order_completed", LastSecond)
            .Track("c2", "interaction", LastSecond)
            .Track("c2", "interaction", LastSecond);

        var lines = Lines(new Simulator(Samples.Value).Run(script.Inputs, DateTimeOffset.MaxValue));

        Assert.Contains("9999-12-31T23:59:59Z c1 entered welcome (on signed_up)", lines);
        Assert.Contains("9999-12-31T23:59:59Z c1 sent welcome push:nurture/guide", lines); // 11:59 in Etc/GMT+12
        // c2 (UTC): 23:59 is inside quiet hours (21:00-08:00), and they end only on a day the calendar does not have.
        Assert.Contains("9999-12-31T23:59:59Z c2 suppressed welcome push:nurture/guide (quiet-hours)", lines);
        Assert.Contains("9999-12-31T23:59:59Z c2 entered assign (when)", lines);
        Assert.All(lines, l => Assert.StartsWith("9999-12-31T23:59:59Z ", l, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("(after ", StringComparison.Ordinal)); // no timer fires: all are due past the end
    }

    [Theory]
    [InlineData("UTC", true)] // 23:59:59 local: quiet until 08:00 on a day past the calendar's end
    [InlineData("Etc/GMT+12", false)] // 11:59:59 local: not quiet
    [InlineData("Etc/GMT-12", true)] // past the end locally too: read as the calendar's last local evening
    public void QuietHours_OnTheCalendarsLastEvening_NeverEnd(string zone, bool quiet)
    {
        var release = PaceGate.QuietUntil(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), TimeZoneInfo.FindSystemTimeZoneById(zone),
            LastSecond.UtcTicks);

        Assert.Equal(quiet ? CalendarTicks.Never : null, release);
    }

    [Fact]
    public void CalendarTicks_Add_IsNeverPastTheEndAndTheFirstTickBeforeTheStart()
    {
        Assert.Equal(CalendarTicks.Last, CalendarTicks.Add(CalendarTicks.Last - 1, 1));
        Assert.Equal(CalendarTicks.Never, CalendarTicks.Add(CalendarTicks.Last, 1));
        Assert.Equal(CalendarTicks.Never, CalendarTicks.Add(CalendarTicks.Last, long.MaxValue));
        Assert.Equal(CalendarTicks.Never, CalendarTicks.Add(CalendarTicks.Never, -1));
        Assert.Equal(0, CalendarTicks.Add(5, -6));
        Assert.Equal(0, CalendarTicks.Add(5, long.MinValue));
        Assert.Equal(7, CalendarTicks.Add(5, 2));
    }

    [Fact]
    public void EventsAtTheCalendarsFirstTick_RunAYearWithoutOverflow()
    {
        var script = new Script();
        for (var i = 0; i < Zones.Length; i++)
        {
            script.Identify($"c{i}", DateTimeOffset.MinValue, Zones[i], ("birthday", "01-01"), ("serviceEndsAt", "0001-01-01T00:00:00Z"))
                .Track($"c{i}", "signed_up", DateTimeOffset.MinValue)
                .Track($"c{i}", "order_completed", DateTimeOffset.MinValue)
                .Track($"c{i}", "interaction", DateTimeOffset.MinValue)
                .Track($"c{i}", "interaction", DateTimeOffset.MinValue);
        }

        var decisions = new Simulator(Samples.Value).Run(script.Inputs, DateTimeOffset.MinValue.AddDays(400));

        Assert.Contains(decisions, d => d.JourneyId == "birthday" && d.Kind == DecisionKind.Entered);
        Assert.Contains(decisions, d => d.JourneyId == "new-customer-nurture" && d.Kind == DecisionKind.Moved);
    }

    [Property(MaxTest = 60)]
    public Property AnyTimestampInTheCalendar_SimulatesTheSampleJourneysWithoutThrowing() =>
        Prop.ForAll(Arb.From(TimestampGen()), Arb.From(Gen.Elements(Zones)), Arb.From(Gen.Choose(1, int.MaxValue - 1)), (ticks, zone, seed) =>
        {
            var random = new Random(seed);
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            DateTimeOffset Near() => new(CalendarTicks.Add(CalendarTicks.Add(ticks, random.NextInt64(-60, 60) * TimeSpan.TicksPerDay), 0) switch
            {
                var t when CalendarTicks.IsNever(t) => CalendarTicks.Last,
                var t => t,
            }, TimeSpan.Zero);

            var script = new Script().Identify("c1", at, zone,
                ("birthday", at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ("serviceEndsAt", Near().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            string[] types = ["signed_up", "order_completed", "interaction", "login", "page_view", "consult_completed", "unsubscribed"];
            for (var n = 0; n < 12; n++)
            {
                script.Track("c1", types[random.Next(types.Length)], Near());
            }

            var until = CalendarTicks.Add(ticks, 400 * TimeSpan.TicksPerDay);
            var decisions = new Simulator(Samples.Value).Run(script.Inputs,
                new DateTimeOffset(CalendarTicks.IsNever(until) ? CalendarTicks.Last : until, TimeSpan.Zero));
            return decisions.All(d => d.Timestamp.UtcTicks is >= 0 and <= CalendarTicks.Last);
        });

    /// <summary>Anywhere in the calendar, half the time within a few days of either end.</summary>
    private static Gen<long> TimestampGen() =>
        Gen.OneOf(
            Gen.Choose(0, int.MaxValue).Select(x => (long)(CalendarTicks.Last * (x / (double)int.MaxValue))),
            Gen.Choose(0, 10 * 24 * 3600).Select(s => s * TimeSpan.TicksPerSecond),
            Gen.Choose(0, 10 * 24 * 3600).Select(s => CalendarTicks.Last - (s * TimeSpan.TicksPerSecond)))
        .Select(t => Math.Clamp(t, 0, CalendarTicks.Last));
}
