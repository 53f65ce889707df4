using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Schedules;

/// <summary>A schedule across a restart on SQLite: nothing of the schedule is stored; the restarted engine arms each
/// zone's next occurrence after its start, from the customers it restored, and a restored open run still keeps its
/// customer from being entered again.</summary>
public sealed class ScheduleRestartTests : IDisposable
{
    private const string Weekly = """
        journey: weekly
        entry:
          schedule: { every: week, on: mon, at: "10:00" }
        start: wait
        steps:
          wait:
            then: [ { after: 10d, goto: end } ]
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero); // Monday: 20:00 in Shanghai, 07:00 in New York

    private readonly string _work = Path.Combine(Path.GetTempPath(), "journeys-schedule-" + Guid.NewGuid().ToString("N"));

    public ScheduleRestartTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private JourneyEngine Build(IJourneyStore store, TimeProvider time) => new JourneyEngineBuilder()
        .UseCatalog(JourneyLoader.LoadYaml(("weekly.yaml", Weekly)))
        .AddChannel(new RecordingChannel())
        .UseTimeProvider(time)
        .UseStore(store)
        .WithPartitions(2)
        .Build();

    [Fact]
    public async Task WeeklySchedule_EngineRestartedOnSqlite_NextOccurrencesComeFromTheRestoredCustomers()
    {
        var time = new FakeTimeProvider(T0);
        var db = Path.Combine(_work, "journeys.db");
        var first = new List<string>();
        using (var store = new SqliteJourneyStore(db))
        {
            await using var engine = Build(store, time);
            engine.Decisions.Subscribe(d => { lock (first) { first.Add(Line(d)); } });
            engine.Start();
            await engine.IdentifyAsync(new CustomerProfile("sh", null, "Asia/Shanghai"));
            await engine.IdentifyAsync(new CustomerProfile("ny", null, "America/New_York"));
            await engine.DrainAsync();
            time.Advance(TimeSpan.FromHours(4)); // 16:00Z: New York's Monday 10:00 (15:00Z) came
            await engine.DrainAsync();
        }

        Assert.Equal(["2026-01-05T15:00:00Z ny entered (schedule 2026-01-05T10:00:00-05:00)"], first);

        var second = new List<string>();
        using (var store = new SqliteJourneyStore(db))
        {
            await using var restarted = Build(store, time);
            restarted.Decisions.Subscribe(d => { lock (second) { second.Add(Line(d)); } });
            await restarted.StartAsync();
            time.Advance(TimeSpan.FromDays(7)); // to 12 January 16:00Z
            await restarted.DrainAsync();
            time.Advance(TimeSpan.FromDays(7)); // to 19 January 16:00Z
            await restarted.DrainAsync();
        }

        Assert.Equal(
        [
            "2026-01-12T02:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)", // armed after the restart, from the restored zone
            // 12 January 15:00Z: ny's run (entered on the 5th, 10 days) is still open: not entered again
            "2026-01-15T15:00:00Z ny completed (after 10d)",
            "2026-01-19T15:00:00Z ny entered (schedule 2026-01-19T10:00:00-05:00)", // 19 January 02:00Z: sh's run is open
        ], second.Order(StringComparer.Ordinal));
    }

    private static string Line(JourneyDecision d) => $"{Runtime.Sim.At(d.Timestamp)} {d.CustomerId} {d.KindName} ({d.Reason})";
}
