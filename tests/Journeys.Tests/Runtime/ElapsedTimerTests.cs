using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Runtime;

/// <summary><c>after:</c> timers count elapsed time, not wall-clock time: <c>7d</c> is 168 hours wherever the customer
/// lives, so across a clock change the move comes an hour later or earlier on the customer's local clock.</summary>
public sealed class ElapsedTimerTests
{
    private const string Wait = """
        journey: wait
        entry: { on: joined }
        start: first
        steps:
          first:
            then: [ { after: 7d, goto: second } ]
          second:
        """;

    [Theory]
    [InlineData("America/New_York", "2026-03-05T15:00:00Z", "2026-03-12T15:00:00Z")] // spring forward on 8 March: 10:00 EST, then 11:00 EDT
    [InlineData("Europe/Berlin", "2026-10-22T08:00:00Z", "2026-10-29T08:00:00Z")]    // fall back on 25 October: 10:00 CEST, then 09:00 CET
    [InlineData("Asia/Shanghai", "2026-03-05T02:00:00Z", "2026-03-12T02:00:00Z")]    // no clock change: 10:00, then 10:00
    public void After7d_AcrossAClockChange_Is168HoursLater(string zone, string entered, string moved)
    {
        var at = DateTimeOffset.Parse(entered, System.Globalization.CultureInfo.InvariantCulture);

        var lines = Lines(Run(Wait, new Script().Identify("c1", at.AddMinutes(-1), zone).Track("c1", "joined", at), at.AddDays(10)));

        Assert.Equal(
        [
            $"{entered} c1 entered first (on joined)",
            $"{moved} c1 moved second from first (after 7d)",
            $"{moved} c1 completed second",
        ], lines);
        Assert.Equal(TimeSpan.FromHours(168), DateTimeOffset.Parse(moved, System.Globalization.CultureInfo.InvariantCulture) - at);
    }
}
