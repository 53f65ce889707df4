using Journeys.Channels;
using Journeys.Delivery;

namespace Journeys.Tests.Channels;

/// <summary>A scripted receiver, a manual clock and a client for the HTTP channel tests, and the loop that plays the
/// channel's waits in fake time: a back-off wait is skipped at once (and remembered in <see cref="Waits"/>), a stalled
/// request is met by moving the clock past the attempt timeout. Nothing sleeps.</summary>
internal sealed class HttpChannelHarness : IAsyncDisposable
{
    /// <summary>The attempt timeout the harness configures; timers of this length are attempt timeouts, not waits.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RealTimeGuard = TimeSpan.FromSeconds(30);

    private HttpChannelHarness(ScriptedReceiver receiver)
    {
        Receiver = receiver;
    }

    public ScriptedReceiver Receiver { get; }

    public ManualClock Clock { get; } = new();

    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    /// <summary>Every back-off wait the channel made, in order.</summary>
    public List<TimeSpan> Waits { get; } = [];

    public static async Task<HttpChannelHarness> StartAsync() => new(await ScriptedReceiver.StartAsync());

    public static OutboundMessage Message(string key, IReadOnlyDictionary<string, object?>? traits = null) => new()
    {
        IdempotencyKey = key,
        Channel = "loyalty",
        Template = "value-boost/double-points",
        CustomerId = "c42",
        JourneyId = "value-boost",
        JourneyVersion = 3,
        Step = "double-points",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
        Traits = traits ?? new Dictionary<string, object?> { ["tier"] = "high-value", ["phone"] = "+8613800138000" },
        EventProperties = new Dictionary<string, object?> { ["orderId"] = "o-17", ["amount"] = 129.5 },
    };

    /// <summary>Points options at the receiver and the manual clock, with the harness's attempt timeout. These tests use
    /// channels on their own, without an engine, so the channel retries by itself (3 times, unless a test says otherwise);
    /// inside an engine the pipeline retries instead (see the engine tests at the end of WebhookChannelTests).</summary>
    public T Configure<T>(T options)
        where T : HttpChannelOptions
    {
        options.MaxRetries = 3;
        options.Url = Receiver.Url;
        options.Timeout = AttemptTimeout;
        options.TimeProvider = Clock;
        return options;
    }

    /// <summary>Sends through the channel, moving fake time whenever the channel waits on it.</summary>
    public async Task<DeliveryResult> SendAsync(IChannel channel, OutboundMessage message, CancellationToken cancellationToken = default)
    {
        var send = channel.SendAsync(message, cancellationToken).AsTask();
        using var guard = new CancellationTokenSource(RealTimeGuard);
        while (!send.IsCompleted)
        {
            var timer = Clock.Timers.WaitToReadAsync(guard.Token).AsTask();
            var stall = Receiver.Stalls.WaitToReadAsync(guard.Token).AsTask();
            await Task.WhenAny(send, timer, stall);
            if (guard.IsCancellationRequested)
            {
                throw new TimeoutException($"the send did not finish within {RealTimeGuard} of real time");
            }

            while (Clock.Timers.TryRead(out var due))
            {
                if (due != AttemptTimeout)
                {
                    Waits.Add(due);
                    Clock.Advance(due);
                }
            }

            while (Receiver.Stalls.TryRead(out _))
            {
                Clock.Advance(AttemptTimeout);
            }
        }

        return await send;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Receiver.DisposeAsync();
    }
}
