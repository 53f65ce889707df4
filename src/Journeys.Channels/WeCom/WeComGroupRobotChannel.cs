using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Posts each message to a WeCom group through the group's robot webhook (<c>/cgi-bin/webhook/send?key=...</c>):
/// the daily posts and weekly activities of a customer group. Text, markdown or news (<see cref="WeComContent"/>). No
/// access token: the key is the credential.</summary>
/// <remarks>One attempt per send. <c>errcode</c> 0 is delivered; a robot over WeCom's limit (20 messages a minute,
/// errcode 45009) is retryable after <see cref="WeComGroupRobotChannelOptions.RateLimitWait"/>; the rest as
/// <see cref="WeComErrors"/> maps them (a wrong key, 93000, is permanent). Give the channel
/// <c>ChannelDeliveryOptions.PermitsPerSecond</c> and a <c>MaxDelay</c> of at least that wait.</remarks>
public sealed class WeComGroupRobotChannel : IChannel
{
    private readonly Func<HttpClient> _client;
    private readonly Uri _url;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeProvider _time;
    private readonly TimeSpan _rateLimitWait;

    /// <summary>Creates the channel with clients from a factory (the client named <see cref="HttpChannelOptions.Name"/>).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClientFactory">The factory, usually from dependency injection.</param>
    public WeComGroupRobotChannel(WeComGroupRobotChannelOptions options, IHttpClientFactory httpClientFactory)
        : this(options, HttpDelivery.ClientFrom(httpClientFactory, options))
    {
    }

    /// <summary>Creates the channel over one client the caller owns (and disposes).</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property.</param>
    /// <param name="httpClient">The client every send uses.</param>
    public WeComGroupRobotChannel(WeComGroupRobotChannelOptions options, HttpClient httpClient)
        : this(options, HttpDelivery.ClientFrom(httpClient))
    {
    }

    private WeComGroupRobotChannel(WeComGroupRobotChannelOptions options, Func<HttpClient> client)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Name = options.Name;
        _client = client;
        var url = new UriBuilder(options.Url!) { Query = $"key={Uri.EscapeDataString(options.Key!)}" };
        _url = url.Uri;
        _headers = [.. options.Headers];
        _time = options.TimeProvider;
        _rateLimitWait = options.RateLimitWait;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var (content, refused) = WeComContent.From(message, markdownAllowed: true);
        if (content is null)
        {
            return refused;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            content.WriteTo(w);
            w.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation(HttpDelivery.IdempotencyKeyHeader, message.IdempotencyKey);
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await HttpExchange.SendAsync(_client(), request, _time, (response, answer) => WeComApi.Read(response, answer, root =>
            WeComApi.ErrCode(root) is var errcode && errcode == 0 ? DeliveryResult.Delivered : WeComErrors.Map(errcode, WeComApi.ErrMsg(root), _rateLimitWait)),
            cancellationToken).ConfigureAwait(false);
    }
}
