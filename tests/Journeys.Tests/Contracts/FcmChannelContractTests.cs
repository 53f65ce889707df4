using System.Security.Cryptography;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Channels.Providers;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="FcmChannel"/> keeps the channel contract against <see cref="FakeFcmServer"/>: the notification's
/// title and body are the rendered subject and body.</summary>
public sealed class FcmChannelContractTests : ProviderChannelContractTests<FcmChannel>
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly FakeFcmServer _server;

    public FcmChannelContractTests() => _server = new FakeFcmServer(Clock, _key);

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey) => base.CreateMessage(channelName, idempotencyKey) with
    {
        Traits = new Dictionary<string, object?> { ["fcmToken"] = "device-1" },
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _key.Dispose();
    }

    private protected override FcmChannel Channel() => new(FcmChannelTests.Options(_server, _key, Clock), Client);

    private protected override Task WarmUpAsync(FcmChannel channel) => SendWarmUpAsync(channel);

    private protected override string? Read(ProviderRequest request)
    {
        if (request.Path == "/token")
        {
            return null;
        }

        var notification = request.Json.GetProperty("message").GetProperty("notification");
        return $"{notification.GetProperty("title").GetString()}\n{notification.GetProperty("body").GetString()}";
    }
}
