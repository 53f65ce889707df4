using System.Collections.Concurrent;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Reload;

/// <summary><c>engine.ReloadAsync(folder)</c>: a changed journey folder is validated first (any error: nothing changes,
/// the diagnostics come back), then applied without a restart, with the versioning rules a restart on the store applies.
/// Each test runs on the in-memory store and on a real SQLite file, with a real temporary folder and fake time.</summary>
public sealed class ReloadTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ConcurrentQueue<JourneyDecision> _decisions = new();
    private readonly ConcurrentBag<Exception> _errors = [];
    private JourneyEngine? _engine;
    private IJourneyStore? _store;

    public static TheoryData<string> Stores() => new() { "memory", "sqlite" };

    private static string Nurture(int version, string after, string versioning = "migrate") => $$"""
        journey: nurture
        version: {{version}}
        versioning: {{versioning}}
        entry: { on: signed_up }
        start: guide
        steps:
          guide:
            send: { channel: push, template: nurture/guide }
            then:
              - after: {{after}}
                goto: consult
          consult:
            send: { channel: push, template: nurture/consult }
        """;

    private void WriteFolder(string journey)
    {
        _folder.Write("nurture.yaml", journey);
        _folder.Write("templates/nurture/guide.liquid", "Welcome");
        _folder.Write("templates/nurture/consult.liquid", "Call us");
    }

    private async Task<JourneyEngine> StartAsync(string store, int partitions = 2)
    {
        _store = store == "memory" ? new InMemoryJourneyStore() : new SqliteJourneyStore(_folder.File("../" + Path.GetFileName(_folder.Path) + ".db"));
        _engine = new JourneyEngineBuilder()
            .LoadFolder(_folder.Path)
            .AddChannel(new RecordingChannel(RecordingChannel.AnyName))
            .UseTimeProvider(_time)
            .UseStore(_store)
            .WithPartitions(partitions)
            .OnError(_errors.Add)
            .Build();
        _engine.Decisions.Subscribe(_decisions.Enqueue);
        await _engine.StartAsync();
        return _engine;
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        _time.Advance(by);
        await _engine!.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
    }

    private List<string> Lines() =>
        _decisions.Select(d => $"{(d.Timestamp - T0).TotalHours}h {d.CustomerId} v{d.Version} {d.Step} {d.KindName}{(d.Reason is null ? "" : " " + d.Reason)}").ToList();

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        (_store as IDisposable)?.Dispose();
        var db = _folder.File("../" + Path.GetFileName(_folder.Path) + ".db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }

        _folder.Dispose();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_FolderWithAnError_ChangesNothingAndReturnsTheDiagnostics(string store)
    {
        WriteFolder(Nurture(1, "7d"));
        var engine = await StartAsync(store);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        var before = engine.Catalog;
        WriteFolder(Nurture(2, "2d").Replace("goto: consult", "goto: consul", StringComparison.Ordinal));

        var result = await engine.ReloadAsync(_folder.Path);

        Assert.False(result.Applied);
        var error = Assert.Single(result.Diagnostics);
        Assert.StartsWith($"{_folder.File("nurture.yaml")}:11:", error.ToString(), StringComparison.Ordinal); // at the goto's value
        Assert.Contains("goto 'consul': no such step", error.Message, StringComparison.Ordinal);
        Assert.Same(before, engine.Catalog);
        await AdvanceAsync(TimeSpan.FromDays(2));
        Assert.DoesNotContain(Lines(), l => l.Contains("consult", StringComparison.Ordinal)); // still version 1's 7 days
        await AdvanceAsync(TimeSpan.FromDays(5));
        Assert.Contains("168h c1 v1 consult sent", Lines());
        Assert.Empty(_errors);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_NewVersionWithMigrate_MovesCustomersInsideAndItsTimingApplies(string store)
    {
        WriteFolder(Nurture(1, "7d"));
        var engine = await StartAsync(store);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        await AdvanceAsync(TimeSpan.FromHours(1));
        WriteFolder(Nurture(2, "2d"));

        var result = await engine.ReloadAsync(_folder.Path);
        await AdvanceAsync(TimeSpan.Zero);

        Assert.True(result.Applied, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, Assert.Single(engine.Catalog.Journeys).Version);
        Assert.Contains("1h c1 v2 guide moved migrated from v1", Lines());
        await AdvanceAsync(TimeSpan.FromHours(47)); // the new 2 days count from the original arrival
        Assert.Contains("48h c1 v2 consult sent", Lines());
        Assert.Empty(_errors);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_NewVersionWithFinish_InsideFinishOnTheOldOneAndNewEntriesTakeTheNew(string store)
    {
        WriteFolder(Nurture(1, "7d", "finish"));
        var engine = await StartAsync(store);
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        await AdvanceAsync(TimeSpan.FromHours(1));
        WriteFolder(Nurture(2, "2d", "finish"));

        Assert.True((await engine.ReloadAsync(_folder.Path)).Applied);
        await engine.PublishAsync(new CustomerEvent("c2", "signed_up", T0.AddHours(1)));
        await AdvanceAsync(TimeSpan.FromDays(7));

        var lines = Lines();
        Assert.Contains("1h c2 v2 guide entered on signed_up", lines);
        Assert.Contains("49h c2 v2 consult sent", lines);
        Assert.Contains("168h c1 v1 consult sent", lines);
        Assert.DoesNotContain(lines, l => l.Contains("c1 v2", StringComparison.Ordinal));
        Assert.Empty(_errors);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_VersionGoingDown_IsRefusedAtTheJourneysPlace(string store)
    {
        WriteFolder(Nurture(2, "7d"));
        var engine = await StartAsync(store);
        WriteFolder(Nurture(1, "2d"));

        var result = await engine.ReloadAsync(_folder.Path);

        Assert.False(result.Applied);
        Assert.Equal($"{_folder.File("nurture.yaml")}:1:1: journey 'nurture' is version 1, but the engine runs version 2: a version never goes down (to go back, deploy the older definition as version 3)",
            Assert.Single(result.Diagnostics).ToString());
        Assert.Equal(2, Assert.Single(engine.Catalog.Journeys).Version);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_WhileEventsFlowFromAnotherThread_EveryEventIsAppliedOnceUnderOneVersionOrTheOther(string store)
    {
        WriteFolder(Nurture(1, "7d"));
        var engine = await StartAsync(store, partitions: 4);
        WriteFolder(Nurture(2, "2d"));
        const int customers = 400;
        using var halfway = new SemaphoreSlim(0);
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; i < customers; i++)
            {
                await engine.PublishAsync(new CustomerEvent($"c{i}", "signed_up", T0));
                if (i == customers / 4)
                {
                    halfway.Release();
                }
            }
        });

        await halfway.WaitAsync(EngineHarness.SafetyTimeout);
        var result = await engine.ReloadAsync(_folder.Path);
        await publisher.WaitAsync(EngineHarness.SafetyTimeout);
        await AdvanceAsync(TimeSpan.Zero);

        Assert.True(result.Applied);
        var entered = _decisions.Where(d => d.Kind == DecisionKind.Entered).ToList();
        Assert.Equal(customers, entered.Count);
        Assert.Equal(customers, entered.Select(d => d.CustomerId).Distinct().Count());
        var v1 = entered.Where(d => d.Version == 1).Select(d => d.CustomerId).ToHashSet();
        Assert.NotEmpty(v1); // entered before the reload (the first quarter at least) ...
        var migrated = _decisions.Where(d => d.Kind == DecisionKind.Moved && d.Reason == "migrated from v1").Select(d => d.CustomerId).ToHashSet();
        Assert.Equal(v1, migrated); // ... and each of them moved to version 2 by the reload, once
        Assert.Equal(migrated.Count, _decisions.Count(d => d.Kind == DecisionKind.Moved));
        await AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(customers, _decisions.Count(d => d.Step == "consult" && d.Kind == DecisionKind.Sent && d.Version == 2));
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task Reload_EngineWithoutAStore_Throws()
    {
        WriteFolder(Nurture(1, "7d"));
        await using var engine = new JourneyEngineBuilder().LoadFolder(_folder.Path).AddChannel(new RecordingChannel(RecordingChannel.AnyName))
            .UseTimeProvider(_time).Build();
        engine.Start();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.ReloadAsync(_folder.Path));

        Assert.StartsWith("Reloading journeys needs a store", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reload_ChannelWithoutAnAdapter_IsRefused(string store)
    {
        WriteFolder(Nurture(1, "7d"));
        _store = store == "memory" ? new InMemoryJourneyStore() : new SqliteJourneyStore(_folder.File("../" + Path.GetFileName(_folder.Path) + ".db"));
        _engine = new JourneyEngineBuilder().LoadFolder(_folder.Path).AddChannel(new RecordingChannel("push"))
            .UseTimeProvider(_time).UseStore(_store).Build();
        await _engine.StartAsync();
        WriteFolder(Nurture(2, "7d").Replace("send: { channel: push, template: nurture/consult }", "send: { channel: sms, template: nurture/consult }", StringComparison.Ordinal));

        var result = await _engine.ReloadAsync(_folder.Path);

        Assert.False(result.Applied);
        Assert.Contains("channel 'sms' has no adapter in this engine; channels are push", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(_engine.Catalog.Journeys).Version);
    }
}
