using Journeys.Delivery;
using Journeys.Testing;
using Journeys.Tests.Channels;
using Journeys.Tests.Channels.Providers;

namespace Journeys.Tests.Contracts;

/// <summary>The channel contract for the provider channels, against their fake provider on loopback (a real Kestrel
/// server keeping the provider's contract): one scripted 503 for the failing case, one stall for the stalling case.
/// Derived classes create the server and the channel, and read what the provider took from one request.</summary>
public abstract class ProviderChannelContractTests<TChannel> : ChannelContractTests<TChannel>
    where TChannel : class, IChannel
{
    private protected ManualClock Clock { get; } = new();

    private HttpClient? _client;

    /// <summary>The client the channel sends with, made on first use by <see cref="CreateClient"/>.</summary>
    private protected HttpClient Client => _client ??= CreateClient();

    private protected abstract FakeProviderServer Server { get; }

    public override async Task InitializeAsync() => await Server.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _client?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A plain client; a provider over TLS gives one that trusts its test certificate.</summary>
    private protected virtual HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    /// <summary>A channel of the provider at <see cref="Server"/>.</summary>
    private protected abstract TChannel Channel();

    /// <summary>What the provider took from one request (the text it sends on), or null for a request that is not a
    /// message (a token fetch).</summary>
    private protected abstract string? Read(ProviderRequest request);

    /// <summary>Lets the channel fetch what it needs before the scripted answer (a token), so the script meets the
    /// send itself.</summary>
    private protected virtual Task WarmUpAsync(TChannel channel) => Task.CompletedTask;

    protected override ValueTask<TChannel> CreateChannelAsync() => ValueTask.FromResult(Channel());

    protected override async ValueTask<TChannel?> CreateFailingChannelAsync()
    {
        var channel = Channel();
        await WarmUpAsync(channel);
        Server.ScriptStatus(503);
        return channel;
    }

    protected override async ValueTask<TChannel?> CreateStallingChannelAsync()
    {
        var channel = Channel();
        await WarmUpAsync(channel);
        Server.ScriptStall();
        return channel;
    }

    protected override async Task WhenSendStalledAsync() => await Server.Stalls.ReadAsync();

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(Server.Received.Where(r => r.IdempotencyKey == idempotencyKey).Select(Read).OfType<string>().ToList());

    private protected Task SendWarmUpAsync(IChannel channel) => channel.SendAsync(CreateMessage(channel.Name, $"warm-up-{Guid.NewGuid():N}"), CancellationToken.None).AsTask();
}
