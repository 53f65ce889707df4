using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>The transactional outbox: with a store, a batch's messages are saved with its state in one call and only
/// then handed to a channel; a slow channel holds back no save; an ended delivery is removed by a later batch; a store
/// that fails keeps the messages back until a save succeeds; the outbox a crash left is delivered first on start.</summary>
public sealed class OutboxTests
{
    private const string Hello = """
        journey: hello
        version: 1
        entry: { on: poke }
        start: s
        steps:
          s:
            send: { channel: push, template: hello/hi }
            then: [ { after: 1d, goto: end } ]
        """;

    private static readonly TimeSpan Safety = EngineHarness.SafetyTimeout;

    /// <summary>A channel that logs each send as it starts and answers only once <see cref="Open"/> is completed.</summary>
    private sealed class GatedChannel(List<string> log) : IChannel
    {
        private int _started;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource[] Started { get; } = [.. Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

        public string Name => "push";

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            lock (log)
            {
                log.Add($"send {message.IdempotencyKey}");
            }

            Started[Math.Min(Interlocked.Increment(ref _started), Started.Length) - 1].TrySetResult();
            await Open.Task;
            return DeliveryResult.Delivered;
        }
    }

    private static JourneyEngine Build(IJourneyStore store, IChannel channel, ChannelDeliveryOptions? delivery = null) =>
        new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Hello))
            .AddChannel(channel, delivery)
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseStore(store)
            .WithPartitions(1)
            .Build();

    [Fact]
    public async Task Batch_WithASend_SavesStateAndMessageInOneCallBeforeTheChannelSeesItAndRemovesItOnceDelivered()
    {
        var store = new TestStore();
        var channel = new GatedChannel(store.Log);
        await using var engine = Build(store, channel).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await channel.Started[0].Task.WaitAsync(Safety);

        Assert.Equal(["save [c1] +[hello:1:c1:1:s:0] -[]", "send hello:1:c1:1:s:0"], store.Log);
        Assert.Equal("hello:1:c1:1:s:0", Assert.Single(store.Inner.LoadOutbox()).IdempotencyKey); // in flight: still in the outbox

        channel.Open.SetResult();
        await engine.DrainAsync().WaitAsync(Safety);
        Assert.Equal(["hello:1:c1:1:s:0"], store.Batches[^1].Done);
        Assert.Empty(store.Inner.LoadOutbox());
    }

    [Fact]
    public async Task IdlePartition_DeliveryEnds_RemovesItFromTheStoresOutboxWithoutFurtherInput()
    {
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new TestStore { OnSaved = batch => { if (batch.Done.Contains("hello:1:c1:1:s:0")) { removed.TrySetResult(); } } };
        var channel = new GatedChannel(store.Log);
        await using var engine = Build(store, channel).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await channel.Started[0].Task.WaitAsync(Safety);
        channel.Open.SetResult(); // delivered while the partition has nothing else to do; nothing more is published

        await removed.Task.WaitAsync(Safety);
        Assert.Empty(store.Inner.LoadOutbox());
        Assert.Equal(2, store.Batches.Count); // the batch, then one save of the ended delivery: no drain, stop or input
    }

    [Fact]
    public async Task SlowChannel_DoesNotHoldBackTheNextBatchsSave()
    {
        var store = new TestStore();
        var channel = new GatedChannel(store.Log);
        await using var engine = Build(store, channel).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await channel.Started[0].Task.WaitAsync(Safety);
        await engine.PublishAsync(new CustomerEvent("c2", "poke"));
        await channel.Started[1].Task.WaitAsync(Safety); // handed over, so saved, while c1's send still hangs

        Assert.NotNull(store.Inner.Find("c2"));
        Assert.Equal(["hello:1:c1:1:s:0", "hello:1:c2:1:s:0"], store.Inner.LoadOutbox().Select(m => m.IdempotencyKey));
        channel.Open.SetResult();
        await engine.DrainAsync().WaitAsync(Safety);
        Assert.Empty(store.Inner.LoadOutbox());
    }

    [Fact]
    public async Task StoreFailingToSave_KeepsTheBatchsMessagesFromTheChannelUntilASaveSucceeds()
    {
        var store = new TestStore { Failing = true };
        var channel = new RecordingChannel("push");
        await using var engine = Build(store, channel).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await Assert.ThrowsAsync<JourneyStoreException>(() => engine.DrainAsync().WaitAsync(Safety));
        Assert.Empty(channel.Messages); // decided, but not saved: a crash now would decide it again, not lose it

        store.Failing = false;
        await engine.DrainAsync().WaitAsync(Safety);
        Assert.Equal("hello:1:c1:1:s:0", Assert.Single(channel.Messages).IdempotencyKey);
        Assert.Equal(["save [c1] +[hello:1:c1:1:s:0] -[]", "save [] +[] -[hello:1:c1:1:s:0]"], store.Log);
    }

    [Fact]
    public async Task Start_WithAnOutbox_HandsItToTheChannelBeforeAnyNewMessage()
    {
        var store = new TestStore();
        var left = new OutboundMessage
        {
            IdempotencyKey = "hello:1:c1:0:s:0", Channel = "push", Template = "hello/hi", CustomerId = "c1", JourneyId = "hello", JourneyVersion = 1,
            Step = "s", Timestamp = Sim.T.AddDays(-1), Body = "as first rendered",
        };
        store.Inner.SaveChanges([], [left]);
        var channel = new RecordingChannel("push");
        await using var engine = Build(store, channel, new ChannelDeliveryOptions { MaxConcurrency = 1 }).Start();

        await engine.PublishAsync(new CustomerEvent("c1", "poke"));
        await engine.DrainAsync().WaitAsync(Safety);

        Assert.Equal(["hello:1:c1:0:s:0", "hello:1:c1:1:s:0"], channel.Messages.Select(m => m.IdempotencyKey));
        var again = channel.Messages.First();
        Assert.Equal(left with { Redelivered = true, Traits = again.Traits, EventProperties = again.EventProperties }, again); // the saved message, not a new rendering
        Assert.Empty(again.Traits);
        Assert.False(channel.Messages.Last().Redelivered);
        Assert.Empty(store.Inner.LoadOutbox());
    }

    /// <summary>A channel that answers "retry" to every attempt except those <see cref="Gate"/> holds: attempt n (from 1,
    /// counted in this engine) waits for <c>Gate[n]</c> when there is one, then is delivered.</summary>
    private sealed class FlakyChannel : IChannel
    {
        private int _attempts;

        public Dictionary<int, TaskCompletionSource> Gate { get; } = [];

        public List<OutboundMessage> Seen { get; } = [];

        public string Name => "push";

        public int Attempts => Volatile.Read(ref _attempts);

        public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add(message);
            }

            if (!Gate.TryGetValue(Interlocked.Increment(ref _attempts), out var gate))
            {
                return DeliveryResult.Retry("busy");
            }

            await gate.Task;
            return DeliveryResult.Delivered;
        }
    }

    [Fact]
    public async Task Restart_DuringADeliverysRetries_GoesOnFromTheAttemptsSavedInsteadOfStartingAgain()
    {
        const string key = "hello:1:c1:1:s:0";
        var retries = new ChannelDeliveryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };
        var attemptSaved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new TestStore
        {
            OnSaved = batch => { if (batch.Changed.Length == 0 && batch.Added.Contains(key)) { attemptSaved.TrySetResult(); } },
        };
        var first = new FlakyChannel { Gate = { [2] = new(TaskCreationOptions.RunContinuationsAsynchronously) } };
        InMemoryJourneyStore crashed = new();
        await using (var engine = Build(store, first, retries).Start())
        {
            await engine.PublishAsync(new CustomerEvent("c1", "poke"));
            await attemptSaved.Task.WaitAsync(Safety); // attempt 1 failed: saved by the idle partition, no input needed

            // What a crash now leaves on disk: the message, one attempt made.
            Assert.Equal(1, Assert.Single(store.Inner.LoadOutbox()).PreviousAttempts);
            crashed.SaveChanges([.. store.Inner.LoadAll()], store.Inner.LoadOutbox());
            first.Gate[2].SetResult();
            await engine.DrainAsync().WaitAsync(Safety);
        }

        Assert.Empty(store.Inner.LoadOutbox()); // delivered at attempt 2: the row went, attempt count and all

        var second = new FlakyChannel(); // answers "retry" to every attempt
        var decisions = new List<JourneyDecision>();
        await using (var engine = Build(crashed, second, retries))
        {
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
            engine.Start();
            await engine.DrainAsync().WaitAsync(Safety);
        }

        // Attempt 2 of 2, the last: one attempt, then given up — not two more as for a new message.
        var again = Assert.Single(second.Seen);
        Assert.Equal((key, 1, true), (again.IdempotencyKey, again.PreviousAttempts, again.Redelivered));
        Assert.Contains(decisions, d => d.Kind == DecisionKind.Failed && d.Reason == "busy");
        Assert.Empty(crashed.LoadOutbox());
    }

    [Fact]
    public async Task Start_WithAnOutbox_LogsOneLineSayingHowManyMessagesAreDeliveredAgain()
    {
        var store = new TestStore();
        store.Inner.SaveChanges([], [.. Enumerable.Range(0, 3).Select(i => new OutboundMessage
        {
            IdempotencyKey = $"hello:1:c{i}:1:s:0", Channel = "push", Template = "hello/hi", CustomerId = $"c{i}", JourneyId = "hello", Step = "s",
            PreviousAttempts = i == 0 ? 2 : 0,
        })]);
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var channel = new RecordingChannel("push");
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Hello))
            .AddChannel(channel)
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseStore(store)
            .UseLoggerFactory(new Microsoft.Extensions.Logging.LoggerFactory([new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)]))
            .Build()
            .Start();
        await engine.DrainAsync().WaitAsync(Safety);

        var record = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "OutboxRedelivered");
        Assert.StartsWith("Delivering 3 message(s) again from the store's outbox", record.Message, StringComparison.Ordinal);
        Assert.EndsWith("1 of them go on from attempts that failed before", record.Message, StringComparison.Ordinal);
        Assert.Equal(3, channel.Messages.Count);
        Assert.All(channel.Messages, m => Assert.True(m.Redelivered));
    }

    [Fact]
    public async Task Start_WithAnEmptyOutbox_LogsNoRedelivery()
    {
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Hello))
            .AddChannel(new RecordingChannel("push"))
            .UseTimeProvider(new FakeTimeProvider(Sim.T))
            .UseStore(new TestStore())
            .UseLoggerFactory(new Microsoft.Extensions.Logging.LoggerFactory([new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)]))
            .Build()
            .Start();
        await engine.DrainAsync().WaitAsync(Safety);

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "OutboxRedelivered");
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "EngineStarted"); // the log is collected: the absence means something
    }
}
