using Journeys.Delivery;
using Journeys.Testing;
using Journeys.Tests.Channels;

namespace Journeys.Tests.Contracts;

/// <summary>The channel contract for our HTTP channels, against a real Kestrel receiver on loopback: one answering 503
/// for the failing case, one that never answers for the stalling case. Derived classes create the channel and read a
/// request the way their receiver does.</summary>
public abstract class HttpChannelContractTests<TChannel> : ChannelContractTests<TChannel>
    where TChannel : class, IChannel
{
    private HttpChannelHarness? _harness;

    private protected HttpChannelHarness Harness => _harness ?? throw new InvalidOperationException("The receiver starts in InitializeAsync.");

    public override async Task InitializeAsync() => _harness = await HttpChannelHarness.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    /// <summary>A channel posting to the harness's receiver.</summary>
    private protected abstract TChannel Channel();

    /// <summary>What the receiver reads from one request's body.</summary>
    private protected abstract string Read(ReceivedRequest request);

    protected override ValueTask<TChannel> CreateChannelAsync() => ValueTask.FromResult(Channel());

    protected override ValueTask<TChannel?> CreateFailingChannelAsync()
    {
        Harness.Receiver.Script(Reply.Status(503));
        return ValueTask.FromResult<TChannel?>(Channel());
    }

    protected override ValueTask<TChannel?> CreateStallingChannelAsync()
    {
        Harness.Receiver.Script(Reply.Stall);
        return ValueTask.FromResult<TChannel?>(Channel());
    }

    protected override async Task WhenSendStalledAsync() => await Harness.Receiver.Stalls.ReadAsync();

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(Harness.Receiver.Received.Where(r => r.IdempotencyKey == idempotencyKey).Select(Read).ToList());
}
