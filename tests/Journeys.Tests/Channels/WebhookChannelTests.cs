using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Tests.Channels;

public sealed class WebhookChannelTests : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";

    private HttpChannelHarness _h = null!;

    public async Task InitializeAsync() => _h = await HttpChannelHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task WebhookChannel_ReceiverAccepts_PostsCamelCaseJsonWithIdempotencyKeyOnce()
    {
        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Delivered, result);
        var request = Assert.Single(_h.Receiver.Received);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("k1", request.IdempotencyKey);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("k1", root.GetProperty("idempotencyKey").GetString());
        Assert.Equal("c42", root.GetProperty("customerId").GetString());
        Assert.Equal("value-boost", root.GetProperty("journey").GetString());
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal("double-points", root.GetProperty("step").GetString());
        Assert.Equal("value-boost/double-points", root.GetProperty("template").GetString());
        Assert.Equal("loyalty", root.GetProperty("channel").GetString());
        Assert.Equal("marketing", root.GetProperty("category").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("high-value", root.GetProperty("traits").GetProperty("tier").GetString());
        Assert.Equal(129.5, root.GetProperty("eventProperties").GetProperty("amount").GetDouble());
        Assert.Equal("Double points", root.GetProperty("subject").GetString());
        Assert.Equal("Hi c42: double points today & tomorrow", root.GetProperty("body").GetString());
        Assert.Equal(1, _h.Receiver.Processed("k1"));
    }

    [Fact]
    public async Task WebhookChannel_RedeliveredMessage_SaysSoInThePayloadAndAFirstDeliveryDoesNot()
    {
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k2") with { Redelivered = true });

        using var first = JsonDocument.Parse(_h.Receiver.Received[0].Body);
        using var again = JsonDocument.Parse(_h.Receiver.Received[1].Body);
        Assert.False(first.RootElement.TryGetProperty("redelivered", out _));
        Assert.True(again.RootElement.GetProperty("redelivered").GetBoolean());
    }

    [Fact]
    public async Task WebhookChannel_Request_CarriesSignatureOverTimestampKeyAndBodyThatVerifies()
    {
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        var request = Assert.Single(_h.Receiver.Received);
        var timestamp = request.Header(WebhookSignature.TimestampHeader)!;
        var signature = request.Header(WebhookSignature.SignatureHeader)!;
        var key = request.Header(WebhookChannel.IdempotencyKeyHeader)!;
        Assert.Equal("k1", key);
        Assert.Equal(_h.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, key, request.Body, signature));
        Assert.True(WebhookSignature.Verify(Secret, timestamp, key, request.Text, signature));
    }

    [Fact]
    public async Task WebhookSignature_TamperedBodyTimestampKeySecretOrHeader_FailsVerification()
    {
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));
        var request = Assert.Single(_h.Receiver.Received);
        var timestamp = request.Header(WebhookSignature.TimestampHeader)!;
        var signature = request.Header(WebhookSignature.SignatureHeader)!;
        var key = request.Header(WebhookChannel.IdempotencyKeyHeader)!;
        Assert.True(WebhookSignature.Verify(Secret, timestamp, key, request.Body, signature));

        var tampered = request.Text.Replace("\"version\":3", "\"version\":4", StringComparison.Ordinal);
        Assert.NotEqual(request.Text, tampered);
        Assert.False(WebhookSignature.Verify(Secret, timestamp, key, tampered, signature));
        Assert.False(WebhookSignature.Verify(Secret, (long.Parse(timestamp, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), key, request.Body, signature));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, "k2", request.Body, signature)); // a receiver deduplicates on the key: it is signed
        Assert.False(WebhookSignature.Verify("another-secret-of-16+", timestamp, key, request.Body, signature));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, key, request.Body, null));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, key, request.Body, "sha256=nothex"));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, key, request.Body, signature[..^2]));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, key, request.Body, signature.Replace("sha256=", "sha1=", StringComparison.Ordinal)));
    }

    [Fact]
    public void WebhookSignature_Compute_IsHmacSha256OfTimestampDotKeyDotBody()
    {
        var body = "{\"a\":1}"u8.ToArray();
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("1767607200.k1.{\"a\":1}")));

        Assert.Equal(expected, WebhookSignature.Compute(Secret, "1767607200", "k1", body));
    }

    [Fact]
    public async Task WebhookChannel_429WithRetryAfterSeconds_OneAttemptReturnsRetryWithThatWait()
    {
        _h.Receiver.Script(Reply.Status(429, retryAfter: "7"));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Retry("HTTP 429 (Too Many Requests)", TimeSpan.FromSeconds(7)), result);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task WebhookChannel_503WithRetryAfterHttpDate_OneAttemptReturnsRetryUntilThatDate()
    {
        var date = _h.Clock.GetUtcNow().AddSeconds(20).ToString("R", CultureInfo.InvariantCulture);
        _h.Receiver.Script(Reply.Status(503, retryAfter: date));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(20), result.RetryAfter);
        Assert.Single(_h.Receiver.Received);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task WebhookChannel_ClientError_PermanentFailureWithoutRetry(int status)
    {
        _h.Receiver.Script(Reply.Status(status));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.StartsWith($"HTTP {status} (", result.Reason);
        Assert.EndsWith($": scripted {status}", result.Reason);
        Assert.Single(_h.Receiver.Received);
        Assert.Empty(_h.Waits);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task WebhookChannel_TransientStatus_OneAttemptReturnsRetryable(int status)
    {
        _h.Receiver.Script(Reply.Status(status));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith($"HTTP {status} (", result.Reason);
        Assert.Null(result.RetryAfter);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task WebhookChannel_ConnectionDropped_OneAttemptReturnsRetryable()
    {
        _h.Receiver.Script(Reply.Abort);

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("connection failed (", result.Reason);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task WebhookChannel_NobodyListening_RetryableConnectionFailure()
    {
        var closed = await ScriptedReceiver.StartAsync();
        var url = closed.Url;
        await closed.DisposeAsync();

        var result = await _h.SendAsync(Channel(o => o.Url = url), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("connection failed (", result.Reason);
        Assert.EndsWith(")", result.Reason);
    }

    [Fact]
    public async Task WebhookChannel_CallerCancels_ThrowsCancellationInsteadOfReportingAFailure()
    {
        _h.Receiver.Script(Reply.Stall);
        using var cancel = new CancellationTokenSource();
        var send = Channel().SendAsync(HttpChannelHarness.Message("k1"), cancel.Token).AsTask();

        await _h.Receiver.Stalls.ReadAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task WebhookChannel_ThroughHttpClientFactory_UsesTheClientNamedAfterTheChannel()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("loyalty")
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false })
            .ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("journeys-test", "1.0")));
        await using var provider = services.BuildServiceProvider();
        var options = _h.Configure(new WebhookChannelOptions { Name = "loyalty", Secret = Secret });
        options.Headers["Authorization"] = "Bearer t0ken";
        var channel = new WebhookChannel(options, provider.GetRequiredService<IHttpClientFactory>());

        var result = await _h.SendAsync(channel, HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Equal("loyalty", channel.Name);
        var request = Assert.Single(_h.Receiver.Received);
        Assert.Equal("journeys-test/1.0", request.Header("User-Agent"));
        Assert.Equal("Bearer t0ken", request.Header("Authorization"));
    }

    [Fact]
    public void WebhookChannelOptions_Invalid_ThrowsNamingEveryWrongProperty()
    {
        var options = new WebhookChannelOptions { Name = "", Url = new Uri("ftp://127.0.0.1/x"), Secret = "short", TimeProvider = null! };
        options.Headers[" "] = "x";

        var e = Assert.Throws<ArgumentException>(() => new WebhookChannel(options, _h.Client));

        Assert.Equal("options", e.ParamName);
        foreach (var property in new[]
        {
            "Name must not be empty", "Url must be an absolute http or https URL (was 'ftp://127.0.0.1/x')", "Headers must have a name and a value",
            "Secret must be at least 16 characters (was 5 characters)", "TimeProvider must not be null",
        })
        {
            Assert.Contains("WebhookChannelOptions." + property, e.Message);
        }
    }

    [Fact]
    public void WebhookChannelOptions_MissingUrlAndSecret_SaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => new WebhookChannel(new WebhookChannelOptions(), _h.Client));

        Assert.Contains("WebhookChannelOptions.Url must be an absolute http or https URL (was null)", e.Message);
        Assert.Contains("WebhookChannelOptions.Secret must be at least 16 characters (was null)", e.Message);
    }

    // ---- inside an engine: the engine's delivery pipeline owns retries ----

    [Fact]
    public async Task InAnEngine_ReceiverKeepsFailing_IsTriedExactlyMaxAttemptsTimes()
    {
        _h.Receiver.Script(Enumerable.Repeat(Reply.Status(503), 20).ToArray());

        var decisions = await RunEngineAsync(new ChannelDeliveryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero });

        Assert.Equal(3, _h.Receiver.Received.Count); // not 3 × (the channel's retries + 1)
        Assert.Single(_h.Receiver.Received.Select(r => r.IdempotencyKey).Distinct());
        var failed = Assert.Single(decisions, d => d.Kind == DecisionKind.Failed);
        Assert.Equal("HTTP 503 (Service Unavailable)", failed.Reason);
    }

    [Fact]
    public async Task InAnEngine_429WithRetryAfter_TheEngineWaitsThatLongOnItsClockThenDelivers()
    {
        _h.Receiver.Script(Reply.Status(429, "10"), Reply.Accept);

        var decisions = await RunEngineAsync(new ChannelDeliveryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1) },
            moveTime: async () =>
            {
                while (await _h.Clock.Timers.ReadAsync().AsTask().WaitAsync(EngineHarness.SafetyTimeout) != TimeSpan.FromSeconds(10))
                {
                    // attempt timeouts and the engine's own timers: not the wait the receiver asked for
                }

                _h.Clock.Advance(TimeSpan.FromSeconds(10));
            });

        Assert.Equal(2, _h.Receiver.Received.Count);
        var sent = _h.Receiver.Received.Select(r => long.Parse(r.Header(WebhookSignature.TimestampHeader)!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(10, sent[1] - sent[0]); // the second attempt 10 s after the first, not the 1 s back-off
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Failed);
    }

    [Fact]
    public async Task InAnEngine_RetryAfterLongerThanMaxDelay_FailsAtOnceSayingSo()
    {
        _h.Receiver.Script(Reply.Status(503, "7200"), Reply.Accept);

        var decisions = await RunEngineAsync(new ChannelDeliveryOptions { MaxAttempts = 3, MaxDelay = TimeSpan.FromMinutes(1) });

        Assert.Single(_h.Receiver.Received);
        Assert.Equal("HTTP 503 (Service Unavailable); the receiver asked to wait 02:00:00, longer than MaxDelay 00:01:00",
            Assert.Single(decisions, d => d.Kind == DecisionKind.Failed).Reason);
    }

    [Fact]
    public async Task InAnEngine_FaultsBeforeAndAfterTheReceiverProcessed_DeliversExactlyOncePerKey()
    {
        _h.Receiver.Script(Reply.Status(500), Reply.Abort, Reply.AcceptThenAbort, Reply.AcceptThenStall, Reply.Status(503), Reply.Accept);

        var decisions = await RunEngineAsync(new ChannelDeliveryOptions { MaxAttempts = 6 });

        Assert.Equal(6, _h.Receiver.Received.Count);
        Assert.All(_h.Receiver.Received, r => Assert.Equal(_h.Receiver.Received[0].IdempotencyKey, r.IdempotencyKey));
        var key = _h.Receiver.Received[0].IdempotencyKey!;
        Assert.Equal(1, _h.Receiver.Processed(key));
        Assert.Equal(2, _h.Receiver.Repeats(key));
        Assert.Equal(5, _h.Waits.Count); // one jittered backoff before each retry
        Assert.All(_h.Waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1)));
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Failed);
    }

    [Fact]
    public async Task InAnEngine_ReceiverAlwaysStalls_EachAttemptTimesOutAndTheMessageFails()
    {
        _h.Receiver.Script(Reply.Stall, Reply.Stall);

        var decisions = await RunEngineAsync(new ChannelDeliveryOptions { MaxAttempts = 2 });

        Assert.Equal(2, _h.Receiver.Received.Count);
        Assert.Equal("timed out: no answer within 00:00:05", Assert.Single(decisions, d => d.Kind == DecisionKind.Failed).Reason);
    }

    private const string Points = """
        journey: points
        entry: { on: signed_up }
        start: give
        steps:
          give:
            send: { channel: loyalty, template: points/give }
        """;

    /// <summary>The options an engine's webhook has: the defaults, on the harness's receiver and clock.</summary>
    private WebhookChannelOptions EngineOptions() => _h.Configure(new WebhookChannelOptions { Name = "loyalty", Secret = Secret });

    /// <summary>Signs up one customer in an engine on the harness's clock whose <c>points</c> journey sends one message on
    /// the webhook, runs <paramref name="moveTime"/> while it delivers (by default the harness plays every wait), drains,
    /// and returns the decisions.</summary>
    private async Task<List<JourneyDecision>> RunEngineAsync(ChannelDeliveryOptions delivery, Func<Task>? moveTime = null)
    {
        var decisions = new List<JourneyDecision>();
        delivery.AttemptTimeout = HttpChannelHarness.AttemptTimeout; // the harness plays every other timer as a wait
        await using var engine = new JourneyEngineBuilder()
            .UseCatalog(Sim.Load(Points))
            .AddChannel(new WebhookChannel(EngineOptions(), _h.Client), delivery)
            .UseTimeProvider(_h.Clock)
            .WithPartitions(1)
            .Build();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        engine.Start();
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        var drained = engine.DrainAsync();
        if (moveTime is not null)
        {
            await moveTime();
        }
        else
        {
            await _h.PlayAsync(drained);
        }

        await drained.WaitAsync(EngineHarness.SafetyTimeout);
        await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        lock (decisions)
        {
            return [.. decisions];
        }
    }

    private WebhookChannel Channel(Action<WebhookChannelOptions>? configure = null)
    {
        var options = _h.Configure(new WebhookChannelOptions { Name = "loyalty", Secret = Secret });
        configure?.Invoke(options);
        return new WebhookChannel(options, _h.Client);
    }
}
