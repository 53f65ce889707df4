using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.Tests.Support;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Schedules;

/// <summary>Schedule occurrences that fell due while no engine ran, on a real SQLite file in virtual time: the store keeps
/// the engine's committed clock; the next start makes up, per journey and zone, the latest occurrence after it (entered
/// at the start, the reason naming the occurrence), unless it is older than the bound; an occurrence never enters a
/// customer twice.</summary>
public sealed class ScheduleMakeUpTests : IDisposable
{
    private static string Weekly(string wait) => $$"""
        journey: weekly
        entry:
          schedule: { every: week, on: mon, at: "10:00" }
        start: wait
        steps:
          wait:
            then: [ { after: {{wait}}, goto: end } ]
        """;

    // Monday 5 January 2026, 01:00Z: 09:00 in Shanghai (its 10:00 is 02:00Z), Sunday 20:00 in New York (10:00 is 15:00Z).
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 1, 0, 0, TimeSpan.Zero);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "journeys-makeup-" + Guid.NewGuid().ToString("N"));

    public ScheduleMakeUpTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Db => Path.Combine(_work, "journeys.db");

    /// <summary>Runs an engine on <paramref name="store"/> (the SQLite file when null): started, drained, then
    /// <paramref name="run"/>, then stopped; returns its decisions as lines, in order.</summary>
    private static async Task<List<string>> RunAsync(IJourneyStore store, FakeTimeProvider time, Func<JourneyEngine, Task>? run = null,
        string wait = "1h", TimeSpan? makeUp = null, bool defaultMakeUp = true, bool alsoDaily = false)
    {
        var lines = new List<string>();
        var builder = new JourneyEngineBuilder()
            .UseCatalog(alsoDaily
                ? JourneyLoader.LoadYaml(("weekly.yaml", Weekly(wait)), ("daily.yaml", Weekly(wait).Replace("journey: weekly", "journey: daily", StringComparison.Ordinal)
                    .Replace("every: week, on: mon", "every: day", StringComparison.Ordinal)))
                : JourneyLoader.LoadYaml(("weekly.yaml", Weekly(wait))))
            .AddChannel(new RecordingChannel())
            .UseTimeProvider(time)
            .UseStore(store)
            .WithPartitions(2);
        if (!defaultMakeUp)
        {
            builder.WithScheduleMakeUp(makeUp);
        }

        await using var engine = builder.Build();
        engine.Decisions.Subscribe(d => { lock (lines) { lines.Add(Line(d)); } });
        await engine.StartAsync();
        await engine.DrainAsync();
        if (run is not null)
        {
            await run(engine);
        }

        await engine.StopAsync();
        lock (lines)
        {
            return [.. lines.Order(StringComparer.Ordinal)];
        }
    }

    private async Task<List<string>> RunOnFileAsync(FakeTimeProvider time, Func<JourneyEngine, Task>? run = null, string wait = "1h",
        TimeSpan? makeUp = null, bool defaultMakeUp = true, bool alsoDaily = false)
    {
        using var store = new SqliteJourneyStore(Db);
        return await RunAsync(store, time, run, wait, makeUp, defaultMakeUp, alsoDaily);
    }

    private static async Task IdentifyBothAsync(JourneyEngine engine)
    {
        await engine.IdentifyAsync(new CustomerProfile("sh", null, "Asia/Shanghai"));
        await engine.IdentifyAsync(new CustomerProfile("ny", null, "America/New_York"));
        await engine.DrainAsync();
    }

    private static Func<JourneyEngine, Task> Advance(FakeTimeProvider time, TimeSpan by) => async engine =>
    {
        time.Advance(by);
        await engine.DrainAsync();
    };

    private static List<string> Entered(List<string> lines) => lines.Where(l => l.Contains(" entered ", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task StoppedPastOneOccurrence_EachZoneEnteredOnceAtTheStart_ReasonNamesItsOwnOccurrence_NextOnesFireAsUsual()
    {
        var time = new FakeTimeProvider(T0);
        Assert.Empty(await RunOnFileAsync(time, IdentifyBothAsync)); // stopped before either zone's 10:00

        time.SetUtcNow(T0.AddHours(15)); // 16:00Z: both zones' Monday 10:00 fell while stopped
        var second = await RunOnFileAsync(time, Advance(time, TimeSpan.FromDays(7)));

        Assert.Equal(
        [
            "2026-01-05T16:00:00Z ny entered (schedule 2026-01-05T10:00:00-05:00)",
            "2026-01-05T16:00:00Z sh entered (schedule 2026-01-05T10:00:00+08:00)",
            "2026-01-12T02:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)", // the next ones, armed as usual
            "2026-01-12T15:00:00Z ny entered (schedule 2026-01-12T10:00:00-05:00)",
        ], Entered(second));
    }

    [Fact]
    public async Task JourneyDeployedWhileStopped_ItsMissedOccurrenceIsNotMadeUp_TheOlderJourneysIs_ItsNextOnesFire()
    {
        var time = new FakeTimeProvider(T0);
        await RunOnFileAsync(time, IdentifyBothAsync); // only 'weekly' exists

        time.SetUtcNow(T0.AddHours(15)); // 16:00Z: both zones' Monday 10:00 fell while stopped; 'daily' is deployed with the restart
        var second = await RunOnFileAsync(time, Advance(time, TimeSpan.FromDays(1)), alsoDaily: true);

        Assert.Equal(
        [
            "2026-01-05T16:00:00Z ny entered (schedule 2026-01-05T10:00:00-05:00)", // weekly, made up
            "2026-01-05T16:00:00Z sh entered (schedule 2026-01-05T10:00:00+08:00)",
            "2026-01-06T02:00:00Z sh entered (schedule 2026-01-06T10:00:00+08:00)", // daily, from its first occurrence after the start
            "2026-01-06T15:00:00Z ny entered (schedule 2026-01-06T10:00:00-05:00)",
        ], Entered(second));
        Assert.Equal(2, second.Count(l => l.StartsWith("2026-01-05T16:00:00Z", StringComparison.Ordinal) && l.Contains(" entered ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StoppedPastTwoOccurrences_OnlyTheLatestIsMadeUp()
    {
        var time = new FakeTimeProvider(T0);
        await RunOnFileAsync(time, IdentifyBothAsync);

        time.SetUtcNow(T0.AddDays(7).AddHours(15)); // 12 January 16:00Z: the 5th's and the 12th's occurrences fell while stopped
        var second = await RunOnFileAsync(time, makeUp: TimeSpan.FromDays(30), defaultMakeUp: false);

        Assert.Equal(
        [
            "2026-01-12T16:00:00Z ny entered (schedule 2026-01-12T10:00:00-05:00)",
            "2026-01-12T16:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)",
        ], Entered(second));
    }

    [Theory]
    [InlineData(39, null, true)] // Tuesday 16:00Z: Shanghai's occurrence 38 h old, New York's 25 h: past the default 24 h
    [InlineData(15, null, false)] // make-up off (null)
    [InlineData(15, 0.0, false)] // make-up off (zero)
    public async Task StoppedPastTheBound_OrMakeUpOff_NothingMadeUp_TheNextOccurrenceStillFires(int restartHours, double? boundHours, bool defaultBound)
    {
        var time = new FakeTimeProvider(T0);
        await RunOnFileAsync(time, IdentifyBothAsync);

        time.SetUtcNow(T0.AddHours(restartHours));
        var bound = boundHours is { } hours ? TimeSpan.FromHours(hours) : (TimeSpan?)null;
        var second = await RunOnFileAsync(time, Advance(time, TimeSpan.FromDays(7)), makeUp: bound, defaultMakeUp: defaultBound);

        Assert.DoesNotContain(Entered(second), l => l.Contains("schedule 2026-01-05", StringComparison.Ordinal));
        Assert.Contains("2026-01-12T02:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)", second);
    }

    [Fact]
    public async Task BoundOfOneHour_OnlyTheZoneWhoseOccurrenceIsWithinIt_IsMadeUp()
    {
        var time = new FakeTimeProvider(T0);
        await RunOnFileAsync(time, IdentifyBothAsync);

        time.SetUtcNow(T0.AddHours(15)); // Shanghai's occurrence is 14 h old, New York's 1 h (exactly the bound: made up)
        var second = await RunOnFileAsync(time, makeUp: TimeSpan.FromHours(1), defaultMakeUp: false);

        Assert.Equal(["2026-01-05T16:00:00Z ny entered (schedule 2026-01-05T10:00:00-05:00)"], Entered(second));
    }

    [Fact]
    public async Task FirstStartOnAStoreWithNoCommittedClock_MakesNothingUp()
    {
        var time = new FakeTimeProvider(T0);
        using (var sqlite = new SqliteJourneyStore(Db))
        {
            await RunAsync(new RequiredMembersStore(sqlite), time, IdentifyBothAsync); // customers saved, no clock (as a file of schema 8)
        }

        using (var check = new SqliteJourneyStore(Db))
        {
            Assert.Null(await check.LoadCommittedClockAsync(CancellationToken.None));
        }

        time.SetUtcNow(T0.AddHours(15));
        var second = await RunOnFileAsync(time, Advance(time, TimeSpan.FromDays(7)));

        Assert.Equal(
        [
            "2026-01-12T02:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)",
            "2026-01-12T15:00:00Z ny entered (schedule 2026-01-12T10:00:00-05:00)",
        ], Entered(second));
    }

    [Fact]
    public async Task CustomerWhoseRunIsOpen_NotEnteredByTheMadeUpOccurrence_OthersAre()
    {
        var time = new FakeTimeProvider(T0);
        var first = await RunOnFileAsync(time, async engine =>
        {
            await IdentifyBothAsync(engine);
            time.Advance(TimeSpan.FromHours(15)); // both entered at their 10:00, runs of 10 days
            await engine.DrainAsync();
            await engine.IdentifyAsync(new CustomerProfile("late", null, "Asia/Shanghai"));
        }, wait: "10d");
        Assert.Equal(2, Entered(first).Count);

        time.SetUtcNow(T0.AddDays(7).AddHours(15)); // 12 January 16:00Z
        var second = await RunOnFileAsync(time, wait: "10d");

        Assert.Equal(["2026-01-12T16:00:00Z late entered (schedule 2026-01-12T10:00:00+08:00)"], Entered(second));
    }

    [Fact]
    public async Task OccurrenceSavedBeforeAKillThatKeptAnOlderClock_NotMadeUpAgain_NorForCustomersFirstSeenAfterIt()
    {
        var time = new FakeTimeProvider(T0);
        var first = await RunOnFileAsync(time, async engine =>
        {
            await IdentifyBothAsync(engine);
            time.Advance(TimeSpan.FromHours(2)); // 03:00Z: sh entered at 02:00Z, its run (1 h) completed at 03:00Z
            await engine.DrainAsync();
            await engine.IdentifyAsync(new CustomerProfile("newer", null, "Asia/Shanghai")); // first seen after that occurrence
            await engine.DrainAsync();
        });
        Assert.Equal(["2026-01-05T02:00:00Z sh entered (schedule 2026-01-05T10:00:00+08:00)"], Entered(first));

        using (var store = new SqliteJourneyStore(Db))
        {
            // A kill after that save and before the clock was written: the store's clock is the one of before.
            await store.SaveCommittedClockAsync(T0, CancellationToken.None);
        }

        time.SetUtcNow(T0.AddHours(3)); // 04:00Z: Shanghai's occurrence is after the stored clock again
        Assert.Empty(Entered(await RunOnFileAsync(time)));
    }

    [Fact]
    public async Task EngineClockRestartingBeforeTheCommittedOne_FiresNoOccurrenceAgain_AndFiresTheLaterOnes()
    {
        var time = new FakeTimeProvider(T0);
        await RunOnFileAsync(time, async engine =>
        {
            await IdentifyBothAsync(engine);
            time.Advance(TimeSpan.FromHours(15)); // 16:00Z: both entered
            await engine.DrainAsync();
        });

        var origin = new FakeTimeProvider(T0.AddDays(-1)); // a host whose clock restarts at an origin and catches up
        var second = await RunOnFileAsync(origin, Advance(origin, TimeSpan.FromDays(8).Add(TimeSpan.FromHours(15))));

        Assert.Equal(
        [
            "2026-01-12T02:00:00Z sh entered (schedule 2026-01-12T10:00:00+08:00)",
            "2026-01-12T15:00:00Z ny entered (schedule 2026-01-12T10:00:00-05:00)",
        ], Entered(second));
    }

    private static string Line(JourneyDecision d) => $"{Runtime.Sim.At(d.Timestamp)} {d.CustomerId} {d.KindName} ({d.Reason})";
}
