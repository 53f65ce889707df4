using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Testing;

/// <summary>What every <see cref="IJourneyStore"/> must do: keep opaque records byte for byte with their format version,
/// apply a batch's customers and outbox changes together, honour cancellation (StoreContractTests.Records.cs); and give an
/// engine that restarts on it timers resumed where they stopped, due timers fired at their own times, entry history, cap
/// history and waiting sends kept, the outbox delivered again, journey versions kept. Each store's test class derives from this one — ours for the in-memory and the SQLite
/// store, yours for your own: an xunit test class that says how to open your store runs every check on it.</summary>
/// <typeparam name="TStore">The store under test.</typeparam>
/// <example><code>
/// public sealed class RedisJourneyStoreTests : StoreContractTests&lt;RedisJourneyStore&gt;
/// {
///     protected override RedisJourneyStore OpenStore() => new(_connectionString);
/// }
/// </code></example>
public abstract partial class StoreContractTests<TStore>
    where TStore : class, IJourneyStore
{
    private const string Nurture = """
        journey: nurture
        version: 1
        entry: { on: signed_up }
        exit: [ { on: unsubscribed } ]
        start: guide
        steps:
          guide:
            send: { channel: push, template: nurture/guide }
            then: [ { after: 7d, goto: consult } ]
          consult:
            send: { channel: agent-task, template: nurture/consult-call }
            then: [ { on: consult_completed, goto: end }, { after: 21d, goto: end } ]
        """;

    // Journeys with timed entries: a yearly date, and 30 quiet days.
    private const string Birthday = """
        journey: birthday
        version: 1
        entry:
          date: { trait: birthday, every: year, at: "09:00" }
        reentry: always
        start: hello
        steps:
          hello:
            send: { channel: email, template: birthday/hello }
        """;

    private const string Winback = """
        journey: winback
        version: 1
        entry:
          inactive: { for: 30d, of: [login] }
        reentry: never
        start: hello
        steps:
          hello:
            send: { channel: email, template: winback/hello }
        """;

    // A timer further away than a platform timer can wait (about 49.7 days).
    private const string MonthsAwayTimer = """
        journey: slow
        entry: { on: joined }
        start: wait
        steps:
          wait:
            then: [ { after: 120d, goto: later } ]
          later:
            send: { channel: push, template: slow/later }
        """;

    /// <summary>The instant the checks start at: Monday 5 January 2026, 10:00 UTC.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The store an engine starting now uses, called before each engine's life and each direct use. A durable
    /// store opens its file or database afresh, as a new process would; an in-memory store returns the same object (a
    /// restart within one process). Each test runs on a new instance of the derived class, so a store made in its
    /// constructor starts empty for every test.</summary>
    /// <returns>The store.</returns>
    protected abstract TStore OpenStore();

    /// <summary>Called once the engine using <paramref name="store"/> has stopped and its contents were read, or after a
    /// direct use. The default disposes a store that is <see cref="IDisposable"/>; override it when
    /// <see cref="OpenStore"/> hands out one object that must outlive each use.</summary>
    /// <param name="store">The store <see cref="OpenStore"/> returned.</param>
    protected virtual void CloseStore(TStore store)
    {
        if (store is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private TStore? _running; // the store of the engine RunAsync runs

    private sealed record Run(List<JourneyDecision> Decisions, List<OutboundMessage> Messages, Dictionary<string, SavedCustomer> Saved);

    /// <summary>One engine's life on the store: start, <paramref name="act"/>, drain (unless told not to), stop; then
    /// what the store holds.</summary>
    private async Task<Run> RunAsync(FakeTimeProvider time, Func<JourneyEngine, Task> act, JourneyCatalog? catalog = null, bool drain = true,
        IChannel? through = null)
    {
        var store = OpenStore();
        _running = store;
        try
        {
            var channel = new RecordingChannel();
            var engine = new JourneyEngineBuilder()
                .UseCatalog(catalog ?? JourneyLoader.LoadYaml(("nurture.yaml", Nurture)))
                .AddChannel(through ?? channel)
                .UseTimeProvider(time)
                .UseStore(store)
                .WithPartitions(2)
                .Build();
            var decisions = new List<JourneyDecision>();
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
            await engine.StartAsync();
            await act(engine);
            if (drain)
            {
                await engine.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30)); // a dead partition worker fails, not hangs
            }

            await engine.StopAsync();
            var saved = new Dictionary<string, SavedCustomer>(StringComparer.Ordinal);
            await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
            {
                saved.Add(record.Id, SavedCustomer.Read(record)); // each customer once
            }

            return new Run(decisions, channel.Messages.ToList(), saved);
        }
        finally
        {
            CloseStore(store);
        }
    }

    /// <summary>An engine started on an outbox delivers it again with the same keys, marked redelivered, then removes it.</summary>
    [Fact]
    public async Task Engine_StartedWithAnOutbox_DeliversItAgainWithTheSameKeysThenRemovesIt()
    {
        var time = new FakeTimeProvider(T0);
        var first = await CrashedWithAMessageInTheOutboxAsync(time, "c7");

        var run = await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
        });
        Assert.Equal(["nurture:1:c1:1:guide:0", "nurture:1:c7:1:guide:0"],
            run.Messages.Select(m => m.IdempotencyKey).Order(StringComparer.Ordinal));
        var again = run.Messages.Single(m => m.IdempotencyKey == "nurture:1:c7:1:guide:0");
        Assert.Equal(first with { Traits = again.Traits, EventProperties = again.EventProperties, Redelivered = true },
            again); // the message first decided, not built again, marked as delivered again
        Assert.Equal(first.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal), again.Traits.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.False(run.Messages.Single(m => m.IdempotencyKey == "nurture:1:c1:1:guide:0").Redelivered); // decided by this engine

        // delivered, and removed by a later batch (the drain's at the latest)
        Assert.Empty(await WithStoreAsync(store => store.LoadOutboxAsync(CancellationToken.None).AsTask()));
    }

    /// <summary>An engine restarted on the store resumes timers where the last one stopped.</summary>
    [Fact]
    public async Task Engine_RestartedOnSameStore_ResumesTimersWhereItStopped()
    {
        var time = new FakeTimeProvider(T0);
        var first = await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "signed_up", T0)).AsTask());

        var instance = Assert.Single(first.Saved["c1"].Instances);
        Assert.Equal(("nurture", "guide", T0), (instance.JourneyId, instance.Step, instance.ArrivedAt));

        var second = await RunAsync(time, _ =>
        {
            time.Advance(TimeSpan.FromDays(7));
            return Task.CompletedTask;
        });

        var moved = Assert.Single(second.Decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("consult", "guide", T0.AddDays(7)), (moved.Step, moved.From, moved.Timestamp));
        var message = Assert.Single(second.Messages);
        Assert.Equal("nurture:1:c1:1:consult:0", message.IdempotencyKey);
    }

    /// <summary>An engine restarted on the store keeps each timed entry's pending check (date, inactivity) of its own kind.</summary>
    [Fact]
    public async Task Engine_RestartedOnSameStore_KeepsEachTimedEntrysPendingCheckOfItsOwnKind()
    {
        var catalog = JourneyLoader.LoadYaml(
            ("birthday.yaml", Birthday), ("winback.yaml", Winback)).ThrowIfInvalid();
        var time = new FakeTimeProvider(T0);
        var first = await RunAsync(time, async e =>
        {
            await e.IdentifyAsync(new CustomerProfile("c1", new Dictionary<string, object?> { ["birthday"] = "1990-03-15" }, "Asia/Shanghai"));
            await e.PublishAsync(new CustomerEvent("c1", "login", T0));
        }, catalog);

        // Each journey's pending check is saved under its own kind: the next birthday, and when the 30 quiet days end.
        var saved = first.Saved["c1"].Journeys.ToDictionary(m => m.JourneyId);
        Assert.Equal((new DateTimeOffset(2026, 3, 15, 1, 0, 0, TimeSpan.Zero), (DateTimeOffset?)null), (saved["birthday"].NextDate, saved["birthday"].InactivityDue));
        Assert.Equal(((DateTimeOffset?)null, T0.AddDays(30)), (saved["winback"].NextDate, saved["winback"].InactivityDue));

        var second = await RunAsync(time, _ =>
        {
            time.Advance(TimeSpan.FromDays(80));
            return Task.CompletedTask;
        }, catalog);

        Assert.Equal(
            [("winback", "inactive 30d", T0.AddDays(30)), ("birthday", "date birthday", new DateTimeOffset(2026, 3, 15, 1, 0, 0, TimeSpan.Zero))],
            second.Decisions.Where(d => d.Kind == DecisionKind.Entered).Select(d => (d.JourneyId, d.Reason, d.Timestamp)));
    }

    /// <summary>An engine restarted on the store keeps the entry history <c>reentry: never</c> reads.</summary>
    [Fact]
    public async Task Engine_RestartedOnSameStore_KeepsEntryHistoryForReentryNever()
    {
        var time = new FakeTimeProvider(T0);
        await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "signed_up", T0));
            await e.PublishAsync(new CustomerEvent("c1", "unsubscribed", T0.AddHours(1)));
        });

        time.Advance(TimeSpan.FromDays(1));
        var second = await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "signed_up")).AsTask());

        Assert.DoesNotContain(second.Decisions, d => d.Kind == DecisionKind.Entered);
        Assert.Equal(1, Assert.Single(second.Saved["c1"].Journeys).Entries);
    }

    /// <summary>Timers that came due while no engine ran fire at their own times, in order.</summary>
    [Fact]
    public async Task Engine_TimersDueWhileStopped_FireAtTheirOwnTimesInOrder()
    {
        var time = new FakeTimeProvider(T0);
        await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "signed_up", T0)).AsTask());

        time.Advance(TimeSpan.FromDays(40)); // both timers (7d, then 21d) came due while no engine ran
        var second = await RunAsync(time, _ =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        });

        var mine = second.Decisions.Where(d => d.CustomerId == "c1").Select(d => (d.Kind, d.Step, d.Timestamp)).ToList();
        Assert.Equal(
        [
            (DecisionKind.Moved, "consult", T0.AddDays(7)),
            (DecisionKind.Sent, "consult", T0.AddDays(7)),
            (DecisionKind.Completed, "consult", T0.AddDays(28)),
        ], mine);
        Assert.Empty(second.Saved["c1"].Instances);
    }

    /// <summary>A timer months away (beyond what a platform timer waits) fires at its time after a restart.</summary>
    [Fact]
    public async Task Engine_RestartedWithATimerMonthsAway_FiresItAtItsTime()
    {
        var catalog = JourneyLoader.LoadYaml(("slow.yaml", MonthsAwayTimer)).ThrowIfInvalid();
        var time = new FakeTimeProvider(T0);
        await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "joined", T0)).AsTask(), catalog);

        // Further away than a platform timer can wait (about 49.7 days): armed in steps, it still fires at its time.
        var second = await RunAsync(time, async e =>
        {
            for (var day = 0; day < 130; day += 10)
            {
                time.Advance(TimeSpan.FromDays(10));
                await e.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }, catalog);

        var moved = Assert.Single(second.Decisions, d => d.Kind == DecisionKind.Moved);
        Assert.Equal(("later", T0.AddDays(120)), (moved.Step, moved.Timestamp));
    }

    /// <summary>An engine stopped without a drain has saved everything that was queued.</summary>
    [Fact]
    public async Task Engine_StoppedWithoutDrain_HasSavedEverythingQueued()
    {
        var time = new FakeTimeProvider(T0);
        var run = await RunAsync(time, async e =>
        {
            for (var i = 0; i < 200; i++)
            {
                await e.PublishAsync(new CustomerEvent($"c{i:D3}", "signed_up", T0));
            }
        }, drain: false);

        Assert.Equal(200, run.Saved.Count);
        Assert.All(run.Saved.Values, s => Assert.Equal("guide", Assert.Single(s.Instances).Step));
    }

    /// <summary>An engine restarted on the store remembers the sends frequency caps count and the sends waiting for quiet hours to end.</summary>
    [Fact]
    public async Task Engine_RestartedOnSameStore_RemembersSendsForCapsAndWaitingSends()
    {
        const string policy = """
            policy:
              frequency:
                - { max: 1, per: 7d }
              quietHours: { from: "21:00", to: "08:00" }
            """;
        const string poke = """
            journey: poke
            entry: { on: poke }
            reentry: always
            start: s
            steps:
              s:
                send: { channel: push, template: poke/t }
            """;
        var catalog = JourneyLoader.LoadYaml(("poke.yaml", poke), ("policy.yaml", policy)).ThrowIfInvalid();
        var time = new FakeTimeProvider(T0);

        await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c1", "poke")).AsTask(), catalog); // 10:00 UTC: sent
        time.SetUtcNow(T0.AddHours(12));                                                               // 22:00 UTC: quiet
        await RunAsync(time, e => e.PublishAsync(new CustomerEvent("c2", "poke")).AsTask(), catalog);  // deferred to 08:00
        time.SetUtcNow(T0.AddDays(1));
        var after = await RunAsync(time, async e =>
        {
            await e.PublishAsync(new CustomerEvent("c1", "poke"));                                      // a day later: capped
            time.Advance(TimeSpan.FromSeconds(1));
        }, catalog);

        Assert.Contains(after.Decisions, d => d is { CustomerId: "c1", Kind: DecisionKind.Suppressed, Reason: "cap:all" });
        var released = Assert.Single(after.Decisions, d => d is { CustomerId: "c2", Kind: DecisionKind.Sent });
        Assert.Equal(T0.AddHours(22), released.Timestamp); // 08:00 UTC the next day
        Assert.Equal("poke:1:c2:1:s:0", Assert.Single(after.Messages).IdempotencyKey); // the key the waiting send was given
    }
}
