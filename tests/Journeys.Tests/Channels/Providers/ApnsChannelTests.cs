using System.Net.Security;
using System.Security.Cryptography;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Journeys.Tests.Channels.Providers;

/// <summary><see cref="ApnsChannel"/> against <see cref="FakeApnsServer"/> (HTTP/2 over TLS): the ES256 provider token
/// verified, reused and refreshed within APNs' 20-to-60-minute window, the alert and its headers as APNs takes them,
/// APNs' errors mapped.</summary>
public sealed class ApnsChannelTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeApnsServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = new FakeApnsServer(_clock, _key);
        await _server.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _server.Dispose();
        _key.Dispose();
    }

    internal static ApnsChannelOptions Options(FakeApnsServer server, ECDsa key, TimeProvider clock) => new()
    {
        Url = server.Url,
        TeamId = FakeApnsServer.TeamId,
        KeyId = FakeApnsServer.KeyId,
        PrivateKeyPem = key.ExportPkcs8PrivateKeyPem(),
        Topic = FakeApnsServer.BundleId,
        TimeProvider = clock,
    };

    private ApnsChannel Channel(Action<ApnsChannelOptions>? change = null)
    {
        var options = Options(_server, _key, _clock);
        change?.Invoke(options);
        return new ApnsChannel(options, _client);
    }

    private static OutboundMessage Message(string key, string device = "device-1") => new()
    {
        IdempotencyKey = key,
        Channel = "push",
        Template = "nurture/guide",
        CustomerId = "c42",
        JourneyId = "nurture",
        Step = "guide",
        Subject = "Your product guide",
        Body = "Hi Ada, here is how to get started",
        Fields = new Dictionary<string, string> { ["data.screen"] = "guide", ["other"] = "not data" },
        Traits = new Dictionary<string, object?> { ["apnsToken"] = device },
    };

    [Fact]
    public async Task Send_SignsOneProviderTokenAndPostsTheAlertOverHttp2()
    {
        var channel = Channel();

        var first = await channel.SendAsync(Message("k1"), CancellationToken.None);
        var second = await channel.SendAsync(Message("k2", device: "device-2"), CancellationToken.None);

        Assert.Equal((DeliveryResult.Delivered, DeliveryResult.Delivered), (first, second));
        Assert.Equal(1, _server.TokensSeen);
        Assert.All(_server.Protocols, p => Assert.Equal("HTTP/2", p));
        var (device, request, payload) = _server.Delivered.First();
        var alert = payload.GetProperty("aps").GetProperty("alert");
        Assert.Equal(("device-1", "Your product guide", "Hi Ada, here is how to get started"),
            (device, alert.GetProperty("title").GetString(), alert.GetProperty("body").GetString()));
        Assert.Equal(("guide", "k1", false), (payload.GetProperty("screen").GetString(), payload.GetProperty("idempotencyKey").GetString(), payload.TryGetProperty("other", out _)));
        Assert.Equal((FakeApnsServer.BundleId, "alert", "10"), (request.Header("apns-topic"), request.Header("apns-push-type"), request.Header("apns-priority")));
        Assert.Equal(_clock.GetUtcNow().AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("apns-expiration"));
        Assert.Equal(ApnsChannel.NotificationId("k1"), request.Header("apns-id"));
    }

    [Fact]
    public void NotificationId_TheKeyWhenItIsAUuid_ElseAStableUuidDerivedFromIt()
    {
        var uuid = Guid.NewGuid().ToString("D");

        var derived = ApnsChannel.NotificationId("nurture:c42:guide:1");

        Assert.Equal(uuid, ApnsChannel.NotificationId(uuid.ToUpperInvariant()));
        Assert.Equal(derived, ApnsChannel.NotificationId("nurture:c42:guide:1"));
        Assert.NotEqual(derived, ApnsChannel.NotificationId("nurture:c42:guide:2"));
        Assert.True(Guid.TryParseExact(derived, "D", out var parsed));
        Assert.Equal(8, parsed.Version);
    }

    [Fact]
    public async Task Send_ClientDefaultingToHttp11_TheRequestIsStillHttp2()
    {
        using var http11 = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => _server.IsOwnCertificate(c) },
        });

        var result = await new ApnsChannel(Options(_server, _key, _clock), http11).SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Equal(["HTTP/2"], _server.Protocols);
    }

    [Fact]
    public async Task Send_TokenReusedFor50Minutes_ThenANewOneSigned()
    {
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(49));
        var reused = await channel.SendAsync(Message("k2"), CancellationToken.None);
        var tokensAt49 = _server.TokensSeen;
        _clock.Advance(TimeSpan.FromMinutes(2));
        var renewed = await channel.SendAsync(Message("k3"), CancellationToken.None);

        Assert.Equal((DeliveryResult.Delivered, DeliveryResult.Delivered), (reused, renewed));
        Assert.Equal((1, 2), (tokensAt49, _server.TokensSeen));
    }

    [Fact]
    public async Task Send_ExpiredProviderToken_DroppedRetryableAtOnceThenANewToken()
    {
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(25));
        _server.ExpireTokens();

        var refused = await channel.SendAsync(Message("k2"), CancellationToken.None);
        var retried = await channel.SendAsync(Message("k2"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("APNs refused the provider token (HTTP 403 ExpiredProviderToken); the next attempt signs a new one", TimeSpan.Zero), refused);
        Assert.Equal(DeliveryResult.Delivered, retried);
        Assert.Equal(2, _server.TokensSeen);
    }

    [Fact]
    public async Task Send_ExpiredProviderTokenWithin20Minutes_RetryWaitsUntilANewTokenIsAllowed()
    {
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        _server.ExpireTokens();

        var refused = await channel.SendAsync(Message("k2"), CancellationToken.None);
        _clock.Advance(refused.RetryAfter!.Value);
        var retried = await channel.SendAsync(Message("k2"), CancellationToken.None);

        Assert.Equal((DeliveryStatus.RetryableFailure, TimeSpan.FromMinutes(15)), (refused.Status, refused.RetryAfter));
        Assert.Equal(DeliveryResult.Delivered, retried); // not 429 TooManyProviderTokenUpdates
        Assert.Equal(2, _server.TokensSeen);
    }

    [Fact]
    public async Task Send_KeyNotTheAccounts_InvalidProviderTokenRetryable()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await Channel(o => o.PrivateKeyPem = other.ExportPkcs8PrivateKeyPem()).SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.Contains("HTTP 403 InvalidProviderToken", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_server.Delivered);
    }

    [Theory]
    [InlineData("device-unknown", null, "HTTP 400 (Bad Request): ", "BadDeviceToken")]
    [InlineData("device-gone", null, "HTTP 410 (Gone): ", "Unregistered")]
    [InlineData("device-1", "com.other.app", "HTTP 400 (Bad Request): ", "BadTopic")]
    public async Task Send_RefusedByApns_PermanentWithItsReason(string device, string? topic, string status, string reason)
    {
        var channel = Channel(o => o.Topic = topic ?? o.Topic);

        var result = await channel.SendAsync(Message("k1", device), CancellationToken.None);

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.StartsWith(status, result.Reason, StringComparison.Ordinal);
        Assert.Contains($"\"reason\":\"{reason}\"", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_TooManyRequests_RetryableWithRetryAfterWhenGiven()
    {
        _server.PerMinuteLimit = 1;
        var channel = Channel();
        await channel.SendAsync(Message("k1"), CancellationToken.None);

        var limited = await channel.SendAsync(Message("k2"), CancellationToken.None);
        _server.ScriptStatus(429, retryAfter: "30");
        var limitedWithRetryAfter = await channel.SendAsync(Message("k3"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("HTTP 429 (Too Many Requests)"), limited);
        Assert.Equal(DeliveryResult.Retry("HTTP 429 (Too Many Requests)", TimeSpan.FromSeconds(30)), limitedWithRetryAfter);
    }

    [Theory]
    [InlineData(500, "HTTP 500 (Internal Server Error)")]
    [InlineData(503, "HTTP 503 (Service Unavailable)")]
    public async Task Send_ApnsUnavailable_Retryable(int status, string reason)
    {
        _server.ScriptStatus(status);

        var result = await Channel().SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry(reason), result);
    }

    [Fact]
    public async Task Send_NoDeviceToken_PermanentWithoutCallingApple()
    {
        var message = Message("k1") with { Traits = new Dictionary<string, object?>() };

        var result = await Channel().SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("no device token: customer c42 has no trait 'apnsToken'"), result);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingEveryWrongProperty()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var missing = Assert.Throws<ArgumentException>(() => new ApnsChannel(new ApnsChannelOptions { PrivateKeyPem = "not a key", Priority = 7, TimeToLive = TimeSpan.FromSeconds(-1) }, _client));
        var wrongCurve = Assert.Throws<ArgumentException>(() => Channel(o => o.PrivateKeyPem = p384.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("ApnsChannelOptions.TeamId must not be empty.", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.KeyId must not be empty.", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.Topic must not be empty (the app's bundle id).", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.PrivateKeyPem must be the .p8 file's EC P-256 private key in PEM", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.Priority must be 10, 5 or 1 (was 7).", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.TimeToLive must not be negative", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ApnsChannelOptions.PrivateKeyPem must be an EC P-256 key (the .p8 file); this one is 384 bits.", wrongCurve.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_ApnsChannel_CheckedAtStart()
    {
        using var root = new TempFolder();
        root.Write("journeys/nurture.yaml", TestJourneys.Nurture);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root.Path });
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("*"))
            .AddApnsChannel("ios", o =>
            {
                o.TeamId = FakeApnsServer.TeamId;
                o.KeyId = FakeApnsServer.KeyId;
                o.PrivateKeyPem = _key.ExportPkcs8PrivateKeyPem();
            });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("ios", error.OptionsName);
        Assert.Equal(["ApnsChannelOptions.Topic must not be empty (the app's bundle id)."], error.Failures);
    }

    [Fact]
    public async Task Host_ApnsChannel_SendsThroughTheFactorysClient()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddJourneys(o => o.Folder = "journeys")
            .AddApnsChannel("ios", o =>
            {
                o.Url = _server.Url;
                o.TeamId = FakeApnsServer.TeamId;
                o.KeyId = FakeApnsServer.KeyId;
                o.PrivateKeyPem = _key.ExportPkcs8PrivateKeyPem();
                o.Topic = FakeApnsServer.BundleId;
            });
        services.AddHttpClient("ios").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => _server.IsOwnCertificate(c) },
        });
        using var provider = services.BuildServiceProvider();
        var channel = Assert.IsType<ApnsChannel>(Assert.Single(provider.GetServices<IChannel>()));

        var result = await channel.SendAsync(Message("k1") with { Channel = "ios" }, CancellationToken.None);

        Assert.Equal(("ios", DeliveryResult.Delivered), (channel.Name, result));
        Assert.Equal(["HTTP/2"], _server.Protocols);
    }
}
