using System.Security.Cryptography;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Channels.Providers;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="ApnsChannel"/> keeps the channel contract against <see cref="FakeApnsServer"/> (HTTP/2 over TLS):
/// the alert's title and body are the rendered subject and body; a send is found by its <c>apns-id</c>, which the
/// idempotency key gives.</summary>
public sealed class ApnsChannelContractTests : ProviderChannelContractTests<ApnsChannel>
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeApnsServer _server;

    public ApnsChannelContractTests() => _server = new FakeApnsServer(Clock, _key);

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey) => base.CreateMessage(channelName, idempotencyKey) with
    {
        Traits = new Dictionary<string, object?> { ["apnsToken"] = "device-1" },
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _server.Dispose();
        _key.Dispose();
    }

    private protected override HttpClient CreateClient() => _server.CreateClient();

    private protected override ApnsChannel Channel() => new(ApnsChannelTests.Options(_server, _key, Clock), Client);

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey)
    {
        var id = ApnsChannel.NotificationId(idempotencyKey);
        return ValueTask.FromResult<IReadOnlyList<string>>(Server.Received.Where(r => r.Header("apns-id") == id).Select(Read).OfType<string>().ToList());
    }

    private protected override string? Read(ProviderRequest request)
    {
        var alert = request.Json.GetProperty("aps").GetProperty("alert");
        return $"{alert.GetProperty("title").GetString()}\n{alert.GetProperty("body").GetString()}";
    }
}
