using System.Diagnostics.Metrics;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngine.PauseJourneyAsync"/> and <see cref="JourneyEngine.ResumeJourneyAsync"/>: a paused
/// journey refuses new entries (logged and counted) while the runs inside it go on — their timers fire on time — and the
/// pause is kept by the store (in memory and in a real SQLite file) across a restart and a reload.</summary>
public sealed class PauseJourneyTests : IDisposable
{
    private const string Nurture = """
        journey: nurture
        entry: { on: signed_up }
        reentry: always
        start: welcome
        steps:
          welcome:
            send: { channel: push, template: nurture/welcome }
            then:
              - after: 2d
                goto: tips
          tips:
            send: { channel: push, template: nurture/tips }
        """;

    private const string Birthday = """
        journey: birthday
        entry: { date: { trait: birthday, every: year, at: "09:00" } }
        reentry: always
        start: greet
        steps:
          greet:
            send: { channel: push, template: birthday/greet }
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IJourneyStore Store(string kind) => ControlHarness.Store(kind, _folder);

    private static JourneyCatalog Catalog() => JourneyLoader.LoadYaml(("nurture.yaml", Nurture), ("birthday.yaml", Birthday));

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartAsync(IJourneyStore store, FakeTimeProvider time,
        ILoggerFactory? logs = null, IMeterFactory? meters = null)
    {
        var builder = new JourneyEngineBuilder().UseCatalog(Catalog())
            .AddChannel(new RecordingChannel()).UseTimeProvider(time).UseStore(store).WithPartitions(2);
        if (logs is not null)
        {
            builder.UseLoggerFactory(logs);
        }

        if (meters is not null)
        {
            builder.UseMeterFactory(meters);
        }

        return await ControlHarness.StartRecordingAsync(builder);
    }

    private static List<string> Entered(List<JourneyDecision> decisions, string journey)
    {
        lock (decisions)
        {
            return [.. decisions.Where(d => d.Kind == DecisionKind.Entered && d.JourneyId == journey).Select(d => d.CustomerId).Order(StringComparer.Ordinal)];
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Pause_NewEntriesRefused_RunsInsideGoOn_KeptAcrossARestartUntilResumed(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, decisions) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await engine.DrainAsync();

            Assert.True(await engine.PauseJourneyAsync("nurture"));
            Assert.False(await engine.PauseJourneyAsync("nurture")); // paused already
            Assert.Equal(["nurture"], engine.PausedJourneys);
            await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
            time.Advance(TimeSpan.FromDays(2)); // c1's step timer is due while the journey is paused
            await engine.DrainAsync();
            await engine.StopAsync();

            Assert.Equal(["c1"], Entered(decisions, "nurture"));
            Assert.Contains(decisions, d => d.CustomerId == "c1" && d.Kind == DecisionKind.Moved && d.Step == "tips"
                                            && d.Timestamp == Start + TimeSpan.FromDays(2)); // on time, not held
            Assert.DoesNotContain(decisions, d => d.CustomerId == "c2");

            // A new engine on the same store: still paused.
            var (again, after) = await StartAsync(store, time);
            Assert.Equal(["nurture"], again.PausedJourneys);
            await again.PublishAsync(new CustomerEvent("c3", "signed_up"));
            await again.DrainAsync();
            Assert.Empty(Entered(after, "nurture"));

            Assert.True(await again.ResumeJourneyAsync("nurture"));
            Assert.False(await again.ResumeJourneyAsync("nurture")); // not paused
            Assert.Empty(again.PausedJourneys);
            await again.PublishAsync(new CustomerEvent("c3", "signed_up"));
            await again.DrainAsync();
            await again.StopAsync();
            Assert.Equal(["c3"], Entered(after, "nurture"));

            // Resumed is kept too.
            var (third, _) = await StartAsync(store, time);
            Assert.Empty(third.PausedJourneys);
            await third.StopAsync();
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Pause_ThenReload_TheReloadedJourneysStayPaused(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, decisions) = await StartAsync(store, time);
            Assert.True(await engine.PauseJourneyAsync("nurture"));

            var reload = await engine.ReloadAsync(Catalog());
            Assert.True(reload.Applied);
            Assert.Equal(["nurture"], engine.PausedJourneys);
            await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await engine.DrainAsync();
            Assert.Empty(Entered(decisions, "nurture"));

            Assert.True(await engine.ResumeJourneyAsync("nurture"));
            await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await engine.DrainAsync();
            await engine.StopAsync();
            Assert.Equal(["c1"], Entered(decisions, "nurture"));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Pause_DateEntryDueWhilePaused_IsRefusedNotHeld_AndLoggedAndCounted()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var refused = new MetricCollector<long>(meters, "Journeys", "journeys.entries.refused");
        var logs = new FakeLogCollector();
        using var factory = new LoggerFactory([new FakeLoggerProvider(logs)], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var time = new FakeTimeProvider(Start);
        var (engine, decisions) = await StartAsync(new InMemoryJourneyStore(), time, factory, meters);
        await using var _ = engine;

        await engine.IdentifyAsync(new CustomerProfile("c1", new Dictionary<string, object?> { ["birthday"] = "1990-01-07" }));
        await engine.DrainAsync();
        Assert.True(await engine.PauseJourneyAsync("birthday"));
        time.Advance(TimeSpan.FromDays(3)); // the birthday (Jan 7) comes and goes while paused
        await engine.DrainAsync();
        Assert.True(await engine.ResumeJourneyAsync("birthday"));
        time.Advance(TimeSpan.FromDays(3));
        await engine.DrainAsync();

        Assert.Empty(Entered(decisions, "birthday")); // not entered late on resume: the next occurrence is next year
        var record = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "EntryRefusedPaused");
        Assert.Equal("Customer c1 not entered into journey birthday: the journey is paused", record.Message);
        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal((1L, "birthday", "paused"), (measurement.Value, measurement.Tags["journey"], measurement.Tags["reason"]));
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "JourneyPaused" && r.Level == LogLevel.Information);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "JourneyResumed");
    }

    [Fact]
    public async Task Pause_UnknownJourney_IsAnArgumentErrorNamingTheJourneys()
    {
        var (engine, _) = await StartAsync(new InMemoryJourneyStore(), new FakeTimeProvider(Start));
        await using var _ = engine;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => engine.PauseJourneyAsync("nurtur"));
        Assert.StartsWith("No journey 'nurtur'; journeys are nurture, birthday.", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => engine.ResumeJourneyAsync("nurtur"));
    }

    [Fact]
    public async Task Pause_StoreThatDoesNotKeepPauses_RefusedAndNothingPaused()
    {
        var time = new FakeTimeProvider(Start);
        var (engine, decisions) = await StartAsync(new RequiredMembersStore(), time);
        await using var _ = engine;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.PauseJourneyAsync("nurture"));
        Assert.Contains("the store does not keep paused journeys", error.Message, StringComparison.Ordinal);
        Assert.Empty(engine.PausedJourneys);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        await engine.DrainAsync();
        Assert.Equal(["c1"], Entered(decisions, "nurture"));
    }
}
