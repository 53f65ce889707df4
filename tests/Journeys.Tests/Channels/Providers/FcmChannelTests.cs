using System.Security.Cryptography;
using Journeys.Channels;
using Journeys.Delivery;

namespace Journeys.Tests.Channels.Providers;

/// <summary><see cref="FcmChannel"/> against <see cref="FakeFcmServer"/>: the service-account JWT verified and exchanged
/// once for a cached access token, the notification as FCM v1 takes it, FCM's errors mapped.</summary>
public sealed class FcmChannelTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private FakeFcmServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new FakeFcmServer(_clock, _key);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _key.Dispose();
    }

    internal static FcmChannelOptions Options(FakeFcmServer server, RSA key, TimeProvider clock) => new()
    {
        Url = server.Url,
        TokenUri = server.TokenUri,
        ProjectId = FakeFcmServer.ProjectId,
        ClientEmail = FakeFcmServer.ClientEmail,
        PrivateKeyPem = key.ExportPkcs8PrivateKeyPem(),
        TimeProvider = clock,
    };

    private FcmChannel Channel(Action<FcmChannelOptions>? change = null)
    {
        var options = Options(_server, _key, _clock);
        change?.Invoke(options);
        return new FcmChannel(options, _client);
    }

    private static OutboundMessage Message(string key, string device = "device-1", Dictionary<string, string>? fields = null) => new()
    {
        IdempotencyKey = key,
        Channel = "push",
        Template = "nurture/guide",
        CustomerId = "c42",
        JourneyId = "nurture",
        Step = "guide",
        Subject = "Your product guide",
        Body = "Hi Ada, here is how to get started",
        Fields = fields ?? new Dictionary<string, string> { ["data.screen"] = "guide", ["other"] = "not data" },
        Traits = new Dictionary<string, object?> { ["fcmToken"] = device },
    };

    [Fact]
    public async Task Send_ExchangesASignedJwtOnceAndSendsTheNotificationWithItsData()
    {
        var channel = Channel();

        var first = await channel.SendAsync(Message("k1"), CancellationToken.None);
        var second = await channel.SendAsync(Message("k2", device: "device-2"), CancellationToken.None);

        Assert.Equal((DeliveryResult.Delivered, DeliveryResult.Delivered), (first, second));
        Assert.Equal(1, _server.TokensIssued);
        var message = _server.Delivered.First();
        Assert.Equal(("device-1", "Your product guide", "Hi Ada, here is how to get started"),
            (message.GetProperty("token").GetString(), message.GetProperty("notification").GetProperty("title").GetString(), message.GetProperty("notification").GetProperty("body").GetString()));
        Assert.Equal(("guide", "k1", false), (message.GetProperty("data").GetProperty("screen").GetString(),
            message.GetProperty("data").GetProperty("idempotencyKey").GetString(), message.GetProperty("data").TryGetProperty("other", out _)));
    }

    [Fact]
    public async Task Send_AfterTheTokensLifetime_FetchesANewOneFirst()
    {
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);

        _clock.Advance(FakeFcmServer.TokenLifetime);
        var result = await channel.SendAsync(Message("k2"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Equal(2, _server.TokensIssued);
    }

    [Fact]
    public async Task Send_TokenRevokedAtGoogle_RetryableAtOnceThenANewToken()
    {
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);
        _server.ExpireTokens();

        var refused = await channel.SendAsync(Message("k2"), CancellationToken.None);
        var retried = await channel.SendAsync(Message("k2"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("FCM refused the access token (HTTP 401); the next attempt fetches a new one", TimeSpan.Zero), refused);
        Assert.Equal(DeliveryResult.Delivered, retried);
        Assert.Equal(2, _server.TokensIssued);
    }

    [Fact]
    public async Task Send_KeyNotTheServiceAccounts_TokenExchangeRefusedAsASetUpFault()
    {
        using var other = RSA.Create(2048);

        var result = await Channel(o => o.PrivateKeyPem = other.ExportPkcs8PrivateKeyPem()).SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("token exchange refused: HTTP 400 (Bad Request): ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Invalid JWT Signature.", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_server.Delivered);
    }

    [Fact]
    public async Task Send_AppUninstalled_PermanentUnregistered()
    {
        var result = await Channel().SendAsync(Message("k1", device: "device-gone"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.StartsWith("HTTP 404 (Not Found): ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("UNREGISTERED", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_OverTheQuota_RetryableWithFcmsRetryAfter()
    {
        _server.PerMinuteLimit = 1;
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);

        var result = await channel.SendAsync(Message("k2"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("HTTP 429 (Too Many Requests)", TimeSpan.FromSeconds(60)), result);
    }

    [Fact]
    public async Task Send_NoDeviceToken_PermanentWithoutCallingGoogle()
    {
        var message = Message("k1") with { Traits = new Dictionary<string, object?>() };

        var result = await Channel().SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("no device token: customer c42 has no trait 'fcmToken'"), result);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingEveryWrongProperty()
    {
        var e = Assert.Throws<ArgumentException>(() => new FcmChannel(new FcmChannelOptions { PrivateKeyPem = "not a key" }, _client));

        Assert.Contains("FcmChannelOptions.ProjectId must not be empty.", e.Message, StringComparison.Ordinal);
        Assert.Contains("FcmChannelOptions.ClientEmail must not be empty.", e.Message, StringComparison.Ordinal);
        Assert.Contains("FcmChannelOptions.PrivateKeyPem must be the service account's RSA private key in PEM", e.Message, StringComparison.Ordinal);
    }
}
