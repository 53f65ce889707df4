using Journeys.Channels;
using Journeys.Delivery;

namespace Journeys.Tests.Channels;

/// <summary>A scripted receiver, a manual clock and a client for the HTTP channel tests, and the loop that plays an
/// engine's waits in fake time: a back-off wait is skipped at once (and remembered in <see cref="Waits"/>), a stalled
/// request is met by moving the clock past the attempt timeout. Nothing sleeps.</summary>
internal sealed class HttpChannelHarness : IAsyncDisposable
{
    /// <summary>The attempt timeout engines in these tests use (<see cref="ChannelDeliveryOptions.AttemptTimeout"/>);
    /// timers of this length are attempt timeouts, not waits.</summary>
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

    /// <summary>A message as the engine hands it over: rendered (<paramref name="body"/>, a subject) for customer c42.</summary>
    public static OutboundMessage Message(string key, IReadOnlyDictionary<string, object?>? traits = null,
        string? body = "Hi c42: double points today & tomorrow") => new()
    {
        Subject = body is null ? null : "Double points",
        Body = body,
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

    /// <summary>Points options at the receiver and the manual clock. A channel makes one attempt per send; retries,
    /// timeouts and the circuit breaker are the engine's (see the engine tests at the end of WebhookChannelTests).</summary>
    public T Configure<T>(T options)
        where T : HttpChannelOptions
    {
        options.Url = Receiver.Url;
        options.TimeProvider = Clock;
        return options;
    }

    /// <summary>One send through the channel (one attempt).</summary>
    public async Task<DeliveryResult> SendAsync(IChannel channel, OutboundMessage message, CancellationToken cancellationToken = default) =>
        await channel.SendAsync(message, cancellationToken).AsTask().WaitAsync(RealTimeGuard, cancellationToken);

    /// <summary>Waits for <paramref name="work"/> (an engine's drain), moving fake time whenever the engine waits on it.</summary>
    public async Task PlayAsync(Task work)
    {
        using var guard = new CancellationTokenSource(RealTimeGuard);
        while (!work.IsCompleted)
        {
            var timer = Clock.Timers.WaitToReadAsync(guard.Token).AsTask();
            var stall = Receiver.Stalls.WaitToReadAsync(guard.Token).AsTask();
            await Task.WhenAny(work, timer, stall);
            if (guard.IsCancellationRequested)
            {
                throw new TimeoutException($"the work did not finish within {RealTimeGuard} of real time");
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

        await work;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Receiver.DisposeAsync();
    }
}
