using System.Globalization;
using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;

namespace Journeys.Tests.Channels;

/// <summary>The HTTP action against a real Kestrel receiver: what one call posts, how each answer maps to an
/// <see cref="ActionResult"/>, timeouts and cancellation, the idempotency key on a repeat.</summary>
public sealed class HttpJourneyActionTests : IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";

    private HttpChannelHarness _h = null!;

    public async Task InitializeAsync() => _h = await HttpChannelHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A call as the engine hands it over: value boost's double points for customer c42.</summary>
    private static ActionRequest Call(string key = "value-boost:3:c42:1:double-points:0") => new()
    {
        IdempotencyKey = key,
        Action = "loyalty-credit",
        CustomerId = "c42",
        JourneyId = "value-boost",
        JourneyVersion = 3,
        Step = "double-points",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
        Arguments = new Dictionary<string, object?>
        {
            ["points"] = 200d,
            ["order"] = "o-17",
            ["double"] = true,
            ["coupon"] = null,
            ["tags"] = new List<object?> { "vip", 2d },
        },
    };

    private HttpJourneyAction Action(Action<HttpActionOptions>? configure = null)
    {
        var options = _h.Configure(new HttpActionOptions { Name = "loyalty-credit" });
        configure?.Invoke(options);
        return new HttpJourneyAction(options, _h.Client);
    }

    private static async Task<ActionResult> InvokeAsync(IJourneyAction action, ActionRequest? request = null, CancellationToken cancellationToken = default) =>
        await action.InvokeAsync(request ?? Call(), cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

    [Fact]
    public async Task HttpJourneyAction_ServiceAnswersAnObject_PostsTheCallAsJsonAndReturnsTheObject()
    {
        _h.Receiver.Script(Reply.Answer("""{"status":"ok","balance":1200,"tier":{"name":"gold"}}"""));
        var action = Action(o => o.Headers["Authorization"] = "Bearer t0ken");

        var result = await InvokeAsync(action);

        Assert.Equal("loyalty-credit", action.Name);
        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Null(result.Reason);
        var answer = result.Result!.Value;
        Assert.Equal(JsonValueKind.Object, answer.ValueKind);
        Assert.Equal("ok", answer.GetProperty("status").GetString());
        Assert.Equal(1200, answer.GetProperty("balance").GetInt32());
        Assert.Equal("gold", answer.GetProperty("tier").GetProperty("name").GetString());

        var request = Assert.Single(_h.Receiver.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("value-boost:3:c42:1:double-points:0", request.IdempotencyKey);
        Assert.Equal("Bearer t0ken", request.Header("Authorization"));
        Assert.Null(request.Header(WebhookSignature.SignatureHeader)); // no secret, no signature
        Assert.Null(request.Header(WebhookSignature.TimestampHeader));
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(
            ["action", "idempotencyKey", "customerId", "journey", "version", "step", "timestamp", "arguments"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("loyalty-credit", root.GetProperty("action").GetString());
        Assert.Equal("value-boost:3:c42:1:double-points:0", root.GetProperty("idempotencyKey").GetString());
        Assert.Equal("c42", root.GetProperty("customerId").GetString());
        Assert.Equal("value-boost", root.GetProperty("journey").GetString());
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal("double-points", root.GetProperty("step").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("""{"points":200,"order":"o-17","double":true,"coupon":null,"tags":["vip",2]}""", root.GetProperty("arguments").GetRawText());
    }

    [Fact]
    public async Task HttpJourneyAction_WithSecret_SignsTheRequestAsTheWebhookChannelDoes()
    {
        var result = await InvokeAsync(Action(o => o.Secret = Secret));

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var request = Assert.Single(_h.Receiver.Received);
        var timestamp = request.Header(WebhookSignature.TimestampHeader)!;
        Assert.Equal(_h.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, request.IdempotencyKey!, request.Body, request.Header(WebhookSignature.SignatureHeader)));
        Assert.False(WebhookSignature.Verify("another-secret-of-16+", timestamp, request.IdempotencyKey!, request.Body, request.Header(WebhookSignature.SignatureHeader)));
    }

    [Theory]
    [InlineData(200, "")]
    [InlineData(201, "")]
    [InlineData(204, "")]
    [InlineData(200, "  \r\n")]
    [InlineData(200, "[1,2]")]
    [InlineData(200, "42")]
    [InlineData(200, "\"ok\"")]
    [InlineData(200, "null")]
    [InlineData(202, "true")]
    public async Task HttpJourneyAction_2xxWithNoObject_IsDoneWithAnEmptyObject(int status, string body)
    {
        _h.Receiver.Script(Reply.Answer(body, status));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal(JsonValueKind.Object, result.Result!.Value.ValueKind);
        Assert.Empty(result.Result.Value.EnumerateObject());
    }

    [Fact]
    public async Task HttpJourneyAction_2xxObjectAfterAByteOrderMark_IsReadAsTheObject()
    {
        _h.Receiver.Script(Reply.Answer("\uFEFF{\"status\":\"ok\"}"));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal("ok", result.Result!.Value.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("<html>OK</html>")]
    [InlineData("{\"status\":")]
    [InlineData("{\"a\":1} trailing")]
    public async Task HttpJourneyAction_2xxThatIsNotJson_IsAPermanentFailureSayingSo(string body)
    {
        _h.Receiver.Script(Reply.Answer(body));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.Null(result.Result);
        Assert.StartsWith("HTTP 200 (OK) answered with a body that is not JSON (", result.Reason);
        Assert.Single(_h.Receiver.Received);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task HttpJourneyAction_TransientStatus_IsRetryable(int status)
    {
        _h.Receiver.Script(Reply.Status(status));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith($"HTTP {status} (", result.Reason);
        Assert.Null(result.RetryAfter);
        Assert.Null(result.Result);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task HttpJourneyAction_429WithRetryAfterSeconds_IsRetryableAfterThatWait()
    {
        _h.Receiver.Script(Reply.Status(429, retryAfter: "7"));

        var result = await InvokeAsync(Action());

        Assert.Equal(ActionResult.Retry("HTTP 429 (Too Many Requests)", TimeSpan.FromSeconds(7)), result);
    }

    [Fact]
    public async Task HttpJourneyAction_503WithRetryAfterHttpDate_IsRetryableUntilThatDateOnTheOptionsClock()
    {
        var date = _h.Clock.GetUtcNow().AddSeconds(20).ToString("R", CultureInfo.InvariantCulture);
        _h.Receiver.Script(Reply.Status(503, retryAfter: date));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(20), result.RetryAfter);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task HttpJourneyAction_OtherClientError_IsPermanentWithTheStartOfTheAnswer(int status)
    {
        _h.Receiver.Script(Reply.Status(status));

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.StartsWith($"HTTP {status} (", result.Reason);
        Assert.EndsWith($": scripted {status}", result.Reason);
        Assert.Null(result.Result);
    }

    [Fact]
    public async Task HttpJourneyAction_ConnectionDropped_IsRetryable()
    {
        _h.Receiver.Script(Reply.Abort);

        var result = await InvokeAsync(Action());

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("connection failed (", result.Reason);
    }

    [Fact]
    public async Task HttpJourneyAction_NobodyListening_IsRetryable()
    {
        var closed = await ScriptedReceiver.StartAsync();
        var url = closed.Url;
        await closed.DisposeAsync();

        var result = await InvokeAsync(Action(o => o.Url = url));

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("connection failed (", result.Reason);
    }

    [Fact]
    public async Task HttpJourneyAction_NoAnswerWithinTimeout_IsRetryableOnceTheOptionsClockPassesIt()
    {
        _h.Receiver.Script(Reply.Stall);
        var call = InvokeAsync(Action(o => o.Timeout = TimeSpan.FromSeconds(3)));

        await _h.Receiver.Stalls.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(call.IsCompleted);
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        var result = await call;

        Assert.Equal(ActionResult.Retry("timed out: no answer within 00:00:03"), result);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task HttpJourneyAction_CallerCancelsWhileWaiting_ThrowsCancellationInsteadOfReportingAFailure()
    {
        _h.Receiver.Script(Reply.Stall);
        using var cancel = new CancellationTokenSource();
        var call = Action(o => o.Timeout = TimeSpan.FromSeconds(3)).InvokeAsync(Call(), cancel.Token).AsTask();

        await _h.Receiver.Stalls.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task HttpJourneyAction_CancelledBeforeTheCall_ThrowsAndSendsNothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Action().InvokeAsync(Call(), cancel.Token).AsTask());
        Assert.Empty(_h.Receiver.Received);
    }

    [Fact]
    public async Task HttpJourneyAction_RepeatedCall_CarriesTheSameIdempotencyKeySoTheServiceActsOnce()
    {
        const string answer = """{"status":"ok","credited":200}""";
        _h.Receiver.Script(Reply.Status(503), Reply.Answer(answer), Reply.Answer(answer));
        var action = Action(o => o.Secret = Secret);

        var first = await InvokeAsync(action);
        var second = await InvokeAsync(action);
        var third = await InvokeAsync(action);

        Assert.Equal(DeliveryStatus.RetryableFailure, first.Status);
        Assert.Equal(answer, second.Result!.Value.GetRawText());
        Assert.Equal(answer, third.Result!.Value.GetRawText());
        Assert.Equal(3, _h.Receiver.Received.Count);
        Assert.All(_h.Receiver.Received, r => Assert.Equal("value-boost:3:c42:1:double-points:0", r.IdempotencyKey));
        Assert.Single(_h.Receiver.Received.Select(r => r.Text).Distinct()); // the same body on every attempt
        Assert.Equal(1, _h.Receiver.Processed("value-boost:3:c42:1:double-points:0"));
        Assert.Equal(1, _h.Receiver.Repeats("value-boost:3:c42:1:double-points:0"));
    }

    [Fact]
    public void HttpActionOptions_Invalid_ThrowsNamingEveryWrongProperty()
    {
        var options = new HttpActionOptions { Name = "", Url = new Uri("ftp://127.0.0.1/x"), Secret = "short", Timeout = TimeSpan.Zero, TimeProvider = null! };
        options.Headers[" "] = "x";

        var e = Assert.Throws<ArgumentException>(() => new HttpJourneyAction(options, _h.Client));

        Assert.Equal("options", e.ParamName);
        foreach (var property in new[]
        {
            "Name must not be empty", "Url must be an absolute http or https URL (was 'ftp://127.0.0.1/x')", "Headers must have a name and a value",
            "Secret must be at least 16 characters (was 5 characters)", "Timeout must be positive and at most 1.00:00:00 (was 00:00:00)",
            "TimeProvider must not be null",
        })
        {
            Assert.Contains("HttpActionOptions." + property, e.Message);
        }
    }

    [Fact]
    public void HttpActionOptions_Defaults_NeedOnlyAUrl()
    {
        var e = Assert.Throws<ArgumentException>(() => new HttpJourneyAction(new HttpActionOptions(), _h.Client));
        Assert.Equal($"Invalid HttpActionOptions:{Environment.NewLine}  HttpActionOptions.Url must be an absolute http or https URL (was null).", e.Message.Split(" (Parameter")[0]);

        var action = new HttpJourneyAction(new HttpActionOptions { Url = _h.Receiver.Url }, _h.Client);
        Assert.Equal("http-action", action.Name);
        Assert.Throws<ArgumentException>(() => new HttpJourneyAction(new HttpActionOptions { Url = _h.Receiver.Url, Timeout = TimeSpan.FromDays(2) }, _h.Client));
        Assert.Throws<ArgumentException>(() => new HttpJourneyAction(new HttpActionOptions { Url = _h.Receiver.Url, Timeout = TimeSpan.FromSeconds(-1) }, _h.Client));
    }
}
