using Journeys.Delivery;
using Xunit;

namespace Journeys.Testing;

/// <summary>The contract every channel adapter keeps, ours and a third party's (see <see cref="IChannel"/>): derive from
/// this class in an xunit test project, say how to create the channel against a real transport, and how to read what the
/// transport received. Each test gets a fresh instance of the derived class and fresh channels; channels that are
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are disposed after the test.
/// <para>The contract: the name is non-empty and stable; one <see cref="IChannel.SendAsync"/> is one attempt (the engine
/// retries); a delivered message returns <see cref="DeliveryStatus.Delivered"/> and reaches the transport once, with its
/// rendered <see cref="OutboundMessage.Subject"/> and <see cref="OutboundMessage.Body"/>; a transport failure is a
/// retryable or permanent <see cref="DeliveryResult"/>, not an exception; a cancelled token — before or during the
/// send — ends the send with <see cref="OperationCanceledException"/>.</para></summary>
/// <typeparam name="TChannel">The channel adapter under test.</typeparam>
public abstract class ChannelContractTests<TChannel> : IAsyncLifetime
    where TChannel : class, IChannel
{
    private readonly List<TChannel> _created = [];

    /// <summary>The rendered subject every contract message carries.</summary>
    protected const string RenderedSubject = "Contract subject";

    /// <summary>The rendered body every contract message carries.</summary>
    protected const string RenderedBody = "Contract body: rendered once, by the engine";

    /// <summary>Whether the channel's transport carries a subject (e-mail does, SMS does not); default true.</summary>
    protected virtual bool CarriesSubject => true;

    /// <summary>A channel whose transport accepts every message.</summary>
    protected abstract ValueTask<TChannel> CreateChannelAsync();

    /// <summary>A channel whose transport fails (unreachable, refusing, out of space); null (the default) when the
    /// transport cannot fail, as an in-memory one.</summary>
    protected virtual ValueTask<TChannel?> CreateFailingChannelAsync() => ValueTask.FromResult<TChannel?>(null);

    /// <summary>A channel whose transport takes the message and never answers; null (the default) when the transport
    /// always answers at once, as an in-memory one. See <see cref="WhenSendStalledAsync"/>.</summary>
    protected virtual ValueTask<TChannel?> CreateStallingChannelAsync() => ValueTask.FromResult<TChannel?>(null);

    /// <summary>Completes when a send on the stalling channel has reached its transport (default: at once).</summary>
    protected virtual Task WhenSendStalledAsync() => Task.CompletedTask;

    /// <summary>What the transport received for <paramref name="idempotencyKey"/>, one text per attempt that reached it
    /// (decoded as its receiver reads it: a mail's subject and body, a request's fields, a file's line).</summary>
    protected abstract ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey);

    /// <summary>The message every test sends: rendered subject and body, and the traits the shipped channels read
    /// (<c>email</c>, <c>phone</c>). Override to add the traits your channel needs.</summary>
    protected virtual OutboundMessage CreateMessage(string channelName, string idempotencyKey) => new()
    {
        IdempotencyKey = idempotencyKey,
        Channel = channelName,
        Template = "contract/hello",
        CustomerId = "contract-customer",
        JourneyId = "contract",
        JourneyVersion = 1,
        Step = "hello",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
        Subject = RenderedSubject,
        Body = RenderedBody,
        Traits = new Dictionary<string, object?> { ["email"] = "ada@example.com", ["phone"] = "+4915100000000" },
    };

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var channel in _created)
        {
            switch (channel)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>The name is what journeys write in <c>send: { channel: ... }</c>: never empty, never changing.</summary>
    [Fact]
    public async Task Name_IsNonEmptyAndStable()
    {
        var channel = await CreateAsync(CreateChannelAsync());
        var name = channel.Name;

        await channel.SendAsync(CreateMessage(name, Key()), CancellationToken.None);

        Assert.False(string.IsNullOrWhiteSpace(name));
        Assert.Equal(name, channel.Name);
    }

    /// <summary>Delivered means the transport has it, once: one send is one attempt.</summary>
    [Fact]
    public async Task SendAsync_TransportAccepts_ReturnsDeliveredAfterOneAttempt()
    {
        var channel = await CreateAsync(CreateChannelAsync());
        var key = Key();

        var result = await channel.SendAsync(CreateMessage(channel.Name, key), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Single(await ReceivedAsync(key));
    }

    /// <summary>The engine renders; the channel sends what it rendered.</summary>
    [Fact]
    public async Task SendAsync_RenderedMessage_TheRenderedSubjectAndBodyReachTheTransport()
    {
        var channel = await CreateAsync(CreateChannelAsync());
        var key = Key();

        await channel.SendAsync(CreateMessage(channel.Name, key), CancellationToken.None);

        var received = Assert.Single(await ReceivedAsync(key));
        Assert.Contains(RenderedBody, received, StringComparison.Ordinal);
        if (CarriesSubject)
        {
            Assert.Contains(RenderedSubject, received, StringComparison.Ordinal);
        }
    }

    /// <summary>A token cancelled before the call: nothing is sent.</summary>
    [Fact]
    public async Task SendAsync_PreCancelledToken_ThrowsOperationCanceledAndSendsNothing()
    {
        var channel = await CreateAsync(CreateChannelAsync());
        var key = Key();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await channel.SendAsync(CreateMessage(channel.Name, key), cancelled.Token));

        Assert.Empty(await ReceivedAsync(key));
    }

    /// <summary>A token cancelled while the transport holds the message (the engine stops, or the attempt timed out):
    /// the send ends with <see cref="OperationCanceledException"/> instead of waiting.</summary>
    [Fact]
    public async Task SendAsync_TokenCancelledMidSend_ThrowsOperationCanceled()
    {
        if (await CreateAsync(CreateStallingChannelAsync()) is not { } channel)
        {
            return; // the transport always answers at once: there is no middle to cancel in
        }

        using var stop = new CancellationTokenSource();
        var send = channel.SendAsync(CreateMessage(channel.Name, Key()), stop.Token).AsTask();
        await WhenSendStalledAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(send.IsCompleted);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A transport failure is a value the engine can act on (retry or give up), not an exception; and the
    /// channel does not retry it on its own.</summary>
    [Fact]
    public async Task SendAsync_TransportFails_ReturnsRetryableOrPermanentAfterOneAttempt()
    {
        if (await CreateAsync(CreateFailingChannelAsync()) is not { } channel)
        {
            return; // the transport cannot fail
        }

        var key = Key();
        var result = await channel.SendAsync(CreateMessage(channel.Name, key), CancellationToken.None);

        Assert.Contains(result.Status, new[] { DeliveryStatus.RetryableFailure, DeliveryStatus.PermanentFailure });
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.True((await ReceivedAsync(key)).Count <= 1, "one send made more than one attempt");
    }

    private static string Key() => $"contract:1:c:{Guid.NewGuid():N}:hello:0";

    private async Task<T> CreateAsync<T>(ValueTask<T> create)
    {
        var channel = await create;
        if (channel is TChannel created)
        {
            _created.Add(created);
        }

        return channel;
    }
}
