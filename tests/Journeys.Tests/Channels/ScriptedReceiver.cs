using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Tests.Channels;

/// <summary>What the receiver does with one request.</summary>
internal enum ReplyKind
{
    /// <summary>Process the message (once per idempotency key) and answer 200.</summary>
    Accept,

    /// <summary>Answer a status code without processing.</summary>
    Status,

    /// <summary>Say nothing until the client gives up.</summary>
    Stall,

    /// <summary>Drop the connection without an answer.</summary>
    Abort,

    /// <summary>Process the message, then drop the connection: the client cannot know it arrived.</summary>
    AcceptThenAbort,

    /// <summary>Process the message, then say nothing until the client gives up.</summary>
    AcceptThenStall,

    /// <summary>Process the message (once per idempotency key) and answer the status with the reply's body as JSON.</summary>
    Answer,
}

/// <summary>One scripted reply.</summary>
internal sealed record Reply(ReplyKind Kind, int StatusCode = 200, string? RetryAfter = null, string? Body = null)
{
    public static Reply Accept { get; } = new(ReplyKind.Accept);

    public static Reply Stall { get; } = new(ReplyKind.Stall);

    public static Reply Abort { get; } = new(ReplyKind.Abort);

    public static Reply AcceptThenAbort { get; } = new(ReplyKind.AcceptThenAbort);

    public static Reply AcceptThenStall { get; } = new(ReplyKind.AcceptThenStall);

    public static Reply Status(int code, string? retryAfter = null) => new(ReplyKind.Status, code, retryAfter);

    /// <summary>Processes the message and answers <paramref name="code"/> with <paramref name="body"/> as
    /// <c>application/json</c> (an empty body: none).</summary>
    public static Reply Answer(string body, int code = 200) => new(ReplyKind.Answer, code, Body: body);
}

/// <summary>A request as the receiver saw it.</summary>
internal sealed record ReceivedRequest(string Method, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? IdempotencyKey => Header("Idempotency-Key");

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A real Kestrel server on 127.0.0.1 (a port the OS picks) that plays a script of replies, one per request,
/// and accepts every request once the script is used up. Like a well-behaved receiver it de-duplicates by the
/// <c>Idempotency-Key</c> header: a repeated key is answered 200 without processing again. Every response closes its
/// connection, so each attempt of the client is exactly one request here (no transparent re-send on a pooled
/// connection).</summary>
internal sealed class ScriptedReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, int> _processed = new();
    private readonly ConcurrentDictionary<string, int> _repeats = new();
    private readonly Channel<int> _stalls = Channel.CreateUnbounded<int>();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private ScriptedReceiver()
    {
    }

    /// <summary>Where to post.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Reports each request that stalls, once the receiver has started stalling it.</summary>
    public ChannelReader<int> Stalls => _stalls.Reader;

    public static async Task<ScriptedReceiver> StartAsync()
    {
        var receiver = new ScriptedReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(new Uri(address), "/hooks/journeys");
        Assert.Equal("127.0.0.1", receiver.Url.Host);
        return receiver;
    }

    /// <summary>Adds replies to the script.</summary>
    public void Script(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>How many times the message with this key was processed (de-duplication keeps it at 0 or 1).</summary>
    public int Processed(string key) => _processed.GetValueOrDefault(key);

    /// <summary>How many requests repeated a key already processed.</summary>
    public int Repeats(string key) => _repeats.GetValueOrDefault(key);

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

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.ContentType,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
        _received.Enqueue(request);
        context.Response.Headers.Connection = "close";

        var key = request.IdempotencyKey;
        if (string.IsNullOrEmpty(key))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("missing Idempotency-Key");
            return;
        }

        var reply = _script.TryDequeue(out var next) ? next : Reply.Accept;
        switch (reply.Kind)
        {
            case ReplyKind.Accept:
                Process(key);
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case ReplyKind.Status:
                context.Response.StatusCode = reply.StatusCode;
                if (reply.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = reply.RetryAfter;
                }

                await context.Response.WriteAsync($"scripted {reply.StatusCode}");
                break;
            case ReplyKind.Stall:
                await StallAsync(context);
                break;
            case ReplyKind.Abort:
                context.Abort();
                break;
            case ReplyKind.AcceptThenAbort:
                Process(key);
                context.Abort();
                break;
            case ReplyKind.AcceptThenStall:
                Process(key);
                await StallAsync(context);
                break;
            case ReplyKind.Answer:
                Process(key);
                context.Response.StatusCode = reply.StatusCode;
                if (!string.IsNullOrEmpty(reply.Body))
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(reply.Body);
                }

                break;
        }
    }

    private void Process(string key)
    {
        if (!_processed.TryAdd(key, 1))
        {
            _repeats.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }

    private async Task StallAsync(HttpContext context)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var aborted = context.RequestAborted.Register(() => released.TrySetResult());
        using var stopping = _stopping.Token.Register(() => released.TrySetResult());
        _stalls.Writer.TryWrite(_received.Count);
        await released.Task;
        context.Abort();
    }
}
