using System.Globalization;
using System.Net;
using Journeys.Delivery;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Journeys.Channels;

/// <summary>The machinery every HTTP channel shares: one Polly pipeline per channel (retry, then circuit breaker, then
/// the attempt timeout), a fresh request per attempt carrying the same idempotency key (signed when there is a secret),
/// and the mapping of the last outcome to a <see cref="DeliveryResult"/>. Not the per-event hot path: a send waits on
/// the network, so it allocates freely for clarity.</summary>
internal sealed class HttpDelivery
{
    /// <summary>The header that carries <see cref="OutboundMessage.IdempotencyKey"/>, the same on every attempt.</summary>
    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxReasonBodyLength = 200;

    private readonly Func<HttpClient> _client;
    private readonly Uri _url;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly byte[]? _signingKey;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _maxRetryDelay;
    private readonly int _maxRetries;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Reads the (already validated) options once and builds the pipeline.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="signingKey">The webhook secret as UTF-8, or null to send no signature.</param>
    /// <param name="client">Hands out the client for one send.</param>
    public HttpDelivery(HttpChannelOptions options, byte[]? signingKey, Func<HttpClient> client)
    {
        _client = client;
        _url = options.Url!;
        _headers = [.. options.Headers];
        _signingKey = signingKey;
        _time = options.TimeProvider;
        _timeout = options.Timeout;
        _maxRetryDelay = options.MaxRetryDelay;
        _maxRetries = options.MaxRetries;
        RetrySetting = $"{options.GetType().Name}.{nameof(HttpChannelOptions.MaxRetries)} = {options.MaxRetries}";

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = options.Name, TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && !WaitsTooLong(args.Outcome.Result)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        });
        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    /// <summary>The most attempts one send makes: the first and <see cref="HttpChannelOptions.MaxRetries"/>.</summary>
    public int AttemptsPerSend => _maxRetries + 1;

    /// <summary>The setting behind <see cref="AttemptsPerSend"/>, for the engine's message about retries that stack.</summary>
    public string RetrySetting { get; }

    /// <summary>Each send asks the factory for the client named after the channel (checking the arguments first, as
    /// channel constructors call this before their body).</summary>
    public static Func<HttpClient> ClientFrom(IHttpClientFactory factory, HttpChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        var name = options.Name;
        return () => factory.CreateClient(name);
    }

    /// <summary>Every send uses the one client given.</summary>
    public static Func<HttpClient> ClientFrom(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return () => client;
    }

    /// <summary>Posts the body until it is accepted, refused for good, or the retries run out.</summary>
    /// <param name="idempotencyKey">Sent as <see cref="IdempotencyKeyHeader"/> on every attempt.</param>
    /// <param name="body">The request body; the same bytes on every attempt.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="cancellationToken">Cancels the send; cancellation is thrown, not reported as a failure.</param>
    public async ValueTask<DeliveryResult> SendAsync(string idempotencyKey, byte[] body, string contentType, CancellationToken cancellationToken)
    {
        var send = new Send(this, idempotencyKey, body, contentType);
        try
        {
            using var response = await _pipeline.ExecuteAsync(static (s, ct) => s.Delivery.AttemptAsync(s, ct), send, cancellationToken)
                .ConfigureAwait(false);
            return await ResultAsync(response, send.Attempts, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException e)
        {
            // The break's remaining time goes up as RetryAfter: the engine's next attempt waits for the circuit to let one through.
            var reason = $"circuit open after repeated failures at {_url.Authority}";
            return e.RetryAfter is { } wait ? DeliveryResult.Retry($"{reason}; calls resume in {wait}", wait) : DeliveryResult.Retry(reason);
        }
        catch (TimeoutRejectedException)
        {
            return DeliveryResult.Retry($"timed out: no answer within {_timeout}{GaveUp(send.Attempts)}");
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry($"connection failed ({e.Message}){GaveUp(send.Attempts)}");
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException)
        {
            return DeliveryResult.Retry($"timed out: the HttpClient's own Timeout elapsed{GaveUp(send.Attempts)}");
        }
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response && IsTransient(response.StatusCode),
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>", gave up after N attempts" for a channel that retries on its own; nothing for one that leaves retries to
    /// the engine (its reason would otherwise say "1 attempt" of a message the engine tried several times).</summary>
    private string GaveUp(int count) => _maxRetries == 0 ? string.Empty : count == 1 ? ", gave up after 1 attempt" : $", gave up after {count} attempts";

    private static string Describe(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()})";

    /// <summary>The receiver's <c>Retry-After</c> as a wait from now (delta seconds or an HTTP date), or null for the
    /// back-off's own delay.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private bool WaitsTooLong(HttpResponseMessage? response) => RetryAfter(response) > _maxRetryDelay;

    private async ValueTask<HttpResponseMessage> AttemptAsync(Send send, CancellationToken cancellationToken)
    {
        send.Attempts++;
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(send.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", send.ContentType);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, send.IdempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_signingKey is not null)
        {
            // Signed per attempt so the timestamp tells the receiver when this attempt was made.
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(_signingKey, timestamp, send.Body));
        }

        return await _client().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DeliveryResult> ResultAsync(HttpResponseMessage response, int attempts, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Delivered;
        }

        if (IsTransient(response.StatusCode))
        {
            // The receiver's Retry-After goes up with the result: the engine's pipeline, which owns retries, waits for it.
            var tooLong = _maxRetries > 0 && WaitsTooLong(response) ? $", Retry-After {RetryAfter(response)} is longer than MaxRetryDelay {_maxRetryDelay}" : string.Empty;
            var reason = $"{Describe(response)}{tooLong}{GaveUp(attempts)}";
            return RetryAfter(response) is { } wait ? DeliveryResult.Retry(reason, wait) : DeliveryResult.Retry(reason);
        }

        // Any other answer (4xx, or a redirect the client did not follow) will not change by sending again.
        var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        if (text.Length > MaxReasonBodyLength)
        {
            text = string.Concat(text.AsSpan(0, MaxReasonBodyLength), "…");
        }

        return DeliveryResult.Permanent(text.Length == 0 ? Describe(response) : $"{Describe(response)}: {text}");
    }

    /// <summary>One send's state across its attempts.</summary>
    private sealed class Send(HttpDelivery delivery, string idempotencyKey, byte[] body, string contentType)
    {
        public HttpDelivery Delivery { get; } = delivery;

        public string IdempotencyKey { get; } = idempotencyKey;

        public byte[] Body { get; } = body;

        public string ContentType { get; } = contentType;

        public int Attempts { get; set; }
    }
}
