using System.Net;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>One request to a provider's API and the part of its answer every HTTP provider shares: a connection failure,
/// HTTP 408, 429 or 5xx is retryable (with the provider's <c>Retry-After</c>); any other answer is read whole and handed
/// to the provider's own mapping (its JSON error codes). Cancellation of the caller's token is thrown, not reported.</summary>
internal static class HttpExchange
{
    private const int MaxReasonBodyLength = 200;

    /// <summary>Sends <paramref name="request"/> once and maps the answer.</summary>
    /// <param name="client">The client.</param>
    /// <param name="request">The request; disposed here.</param>
    /// <param name="time">The clock <c>Retry-After</c> dates are read on.</param>
    /// <param name="read">Maps an answer that is not transient (2xx, other 4xx) given its status and its body.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public static async ValueTask<DeliveryResult> SendAsync(HttpClient client, HttpRequestMessage request, TimeProvider time,
        Func<HttpResponseMessage, byte[], DeliveryResult> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using (request)
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (IsTransient(response.StatusCode))
                {
                    return RetryAfter(response, time) is { } wait ? DeliveryResult.Retry(Describe(response), wait) : DeliveryResult.Retry(Describe(response));
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return read(response, body);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry($"connection failed ({e.Message})");
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException)
        {
            return DeliveryResult.Retry("timed out: the HttpClient's own Timeout elapsed");
        }
    }

    /// <summary>HTTP 408, 429 and 5xx: the provider may take it later.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary><c>HTTP 503 (Service Unavailable)</c>.</summary>
    public static string Describe(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()})";

    /// <summary>The provider's <c>Retry-After</c> as a wait from now (delta seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>A refusal with the start of the provider's answer: <c>HTTP 400 (Bad Request): ...</c>.</summary>
    public static DeliveryResult Refused(HttpResponseMessage response, byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        if (text.Length > MaxReasonBodyLength)
        {
            text = string.Concat(text.AsSpan(0, MaxReasonBodyLength), "…");
        }

        return DeliveryResult.Permanent(text.Length == 0 ? Describe(response) : $"{Describe(response)}: {text}");
    }
}
