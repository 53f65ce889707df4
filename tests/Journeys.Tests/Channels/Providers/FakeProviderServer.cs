using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Tests.Channels.Providers;

/// <summary>A request a fake provider received.</summary>
internal sealed record ProviderRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? IdempotencyKey => Header("Idempotency-Key");

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>The base of the fake providers: a real Kestrel server on 127.0.0.1 that records every request, lets a test
/// script the next answers (an HTTP status with <c>Retry-After</c>, a stall until the client gives up) before the
/// provider's own handling, and otherwise hands the request to the provider's routes. Each response closes its
/// connection, so one attempt is one request here. The provider's contract (tokens, signatures, error codes, limits)
/// lives in the derived class, on the clock the test gives it.</summary>
internal abstract class FakeProviderServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ProviderRequest> _received = new();
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly Channel<int> _stalls = Channel.CreateUnbounded<int>();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    protected FakeProviderServer(TimeProvider time) => Time = time;

    /// <summary>The provider's clock: token lifetimes, signature windows and rate-limit windows are read on it.</summary>
    public TimeProvider Time { get; }

    /// <summary>The server's base address, ending in <c>/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ProviderRequest> Received => [.. _received];

    public ChannelReader<int> Stalls => _stalls.Reader;

    /// <summary>The next request gets this HTTP status (and <c>Retry-After</c>), whatever it is.</summary>
    public void ScriptStatus(int status, string? retryAfter = null) => _script.Enqueue(async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync($"scripted {status}");
    });

    /// <summary>The next request gets no answer until the client gives up.</summary>
    public void ScriptStall() => _script.Enqueue(async context =>
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var aborted = context.RequestAborted.Register(() => released.TrySetResult());
        using var stopping = _stopping.Token.Register(() => released.TrySetResult());
        _stalls.Writer.TryWrite(_received.Count);
        await released.Task;
        context.Abort();
    });

    /// <summary>The next request matching <paramref name="path"/> gets this JSON answer (HTTP 200), as the provider
    /// would send it for an error of its own.</summary>
    public void ScriptJson(string json, int status = 200) => _script.Enqueue(async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    });

    public async Task StartAsync(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (kestrel is null)
            {
                Listen(k);
            }
            else
            {
                kestrel(k);
            }
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Url = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    /// <summary>Where the server listens when <see cref="StartAsync"/> is given no Kestrel set-up: plain HTTP on a free
    /// loopback port unless the provider says otherwise (APNs: HTTP/2 over TLS).</summary>
    protected virtual void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel) => kestrel.Listen(IPAddress.Loopback, 0);

    /// <summary>The provider's own answer to a request the script did not take.</summary>
    protected abstract Task RouteAsync(HttpContext context, ProviderRequest request);

    /// <summary>Writes a JSON answer.</summary>
    protected static async Task JsonAsync(HttpContext context, object answer, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(answer));
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = new ProviderRequest(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
        _received.Enqueue(request);
        if (context.Request.Protocol != "HTTP/2")
        {
            context.Response.Headers.Connection = "close";
        }

        if (_script.TryDequeue(out var scripted))
        {
            await scripted(context);
            return;
        }

        await RouteAsync(context, request);
    }
}
