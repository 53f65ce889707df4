using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary>A started engine on a <see cref="FakeTimeProvider"/> that starts at <see cref="Sim.T"/>, with every decision
/// collected. Awaits carry a generous wall-clock safety timeout so a bug hangs no test run; time itself only moves
/// through <see cref="Advance"/>.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<JourneyDecision> _decisions = [];
    private readonly IDisposable _subscription;

    public EngineHarness(string journey, int partitions = 2, IChannel? channel = null, DateTimeOffset? start = null, ChannelDeliveryOptions? delivery = null)
        : this(Sim.Load(journey), partitions, channel, start, delivery)
    {
    }

    public EngineHarness(Journeys.Language.Loading.JourneyCatalog catalog, int partitions = 2, IChannel? channel = null, DateTimeOffset? start = null,
        ChannelDeliveryOptions? delivery = null)
    {
        Time = new FakeTimeProvider(start ?? Sim.T);
        Engine = new JourneyEngineBuilder()
            .UseCatalog(catalog)
            .AddChannel(channel ?? new RecordingChannel(), delivery)
            .UseTimeProvider(Time)
            .WithPartitions(partitions)
            .OnError(ex => Errors.Add(ex))
            .Build();
        _subscription = Engine.Decisions.Subscribe(d =>
        {
            lock (_decisions)
            {
                _decisions.Add(d);
            }
        });
        Engine.Start();
    }

    public FakeTimeProvider Time { get; }

    public JourneyEngine Engine { get; }

    public System.Collections.Concurrent.ConcurrentBag<Exception> Errors { get; } = [];

    /// <summary>The decisions so far, in the order the engine made them.</summary>
    public List<JourneyDecision> Decisions
    {
        get
        {
            lock (_decisions)
            {
                return [.. _decisions];
            }
        }
    }

    public List<string> Lines() => Sim.Lines(Decisions);

    public Task DrainAsync() => Engine.DrainAsync().WaitAsync(SafetyTimeout);

    /// <summary>Moves fake time forward, then waits until the engine applied everything that became due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await DrainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync().WaitAsync(SafetyTimeout);
        _subscription.Dispose();
    }
}
