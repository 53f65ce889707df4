using System.Collections.Concurrent;
using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Channels;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Hosting;

/// <summary><c>AddHttpAction</c> in a real generic host: the container resolves the action as an
/// <see cref="IJourneyAction"/> under its name, calling through the named client on the host's clock, and wrong options
/// fail the start naming the property. An action and a channel of one name keep their own client and delivery options.</summary>
public sealed class HttpActionHostingTests : IDisposable
{
    private readonly TempFolder _root = new();

    public HttpActionHostingTests() => _root.Write("journeys/nurture.yaml", TestJourneys.Nurture);

    public void Dispose() => _root.Dispose();

    private HostApplicationBuilder NewHost() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _root.Path });

    [Fact]
    public async Task AddHttpAction_ResolvesAsAnIJourneyActionWithTheNameGiven_CallingThroughTheNamedClient()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Script(Reply.Answer("""{"status":"ok"}"""));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        var handled = 0;
        var builder = NewHost();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("push"))
            .AddHttpAction("loyalty-credit", o =>
            {
                o.Url = receiver.Url;
                o.Headers["Authorization"] = "Bearer t0ken";
            })
            .AddHttpAction("crm-ticket", o => o.Url = new Uri("http://127.0.0.1:9/tickets"));
        builder.Services.AddHttpClient(JourneysBuilderExtensions.ActionOptionsName("loyalty-credit")).AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref handled)));
        using var host = builder.Build();
        await host.StartAsync();

        var actions = host.Services.GetServices<IJourneyAction>().ToList();
        Assert.Equal(["loyalty-credit", "crm-ticket"], actions.Select(a => a.Name));
        Assert.All(actions, a => Assert.IsType<HttpJourneyAction>(a));
        Assert.Same(time, host.Services.GetRequiredService<IOptionsMonitor<HttpActionOptions>>().Get("loyalty-credit").TimeProvider);
        var result = await actions[0].InvokeAsync(new ActionRequest
        {
            IdempotencyKey = "k1",
            Action = "loyalty-credit",
            CustomerId = "c1",
            JourneyId = "value-boost",
            JourneyVersion = 1,
            Step = "credit",
            Timestamp = time.GetUtcNow(),
        }, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();

        Assert.Equal("ok", result.Result!.Value.GetProperty("status").GetString());
        var request = Assert.Single(receiver.Received);
        Assert.Equal("k1", request.IdempotencyKey);
        Assert.Equal("Bearer t0ken", request.Header("Authorization"));
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task AddHttpAction_InvalidOptions_FailTheStartNamingEveryProperty()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("push"))
            .AddHttpAction("loyalty-credit", o =>
            {
                o.Name = "points";
                o.Url = new Uri("/credit", UriKind.Relative);
                o.Secret = "short";
                o.Timeout = TimeSpan.FromSeconds(-1);
            });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(HttpActionOptions), error.OptionsType);
        Assert.Equal("loyalty-credit", error.OptionsName);
        Assert.Collection(error.Failures,
            f => Assert.Equal("HttpActionOptions.Url must be an absolute http or https URL (was '/credit').", f),
            f => Assert.Equal("HttpActionOptions.Secret must be at least 16 characters (was 5 characters).", f),
            f => Assert.Equal("HttpActionOptions.Timeout must be positive and at most 1.00:00:00 (was -00:00:01).", f),
            f => Assert.Equal("HttpActionOptions.Name is 'points', but the action was registered as 'loyalty-credit' by AddHttpAction; set the name there.", f));
    }

    [Fact]
    public async Task AddHttpActionAndAddWebhookChannel_SameName_EachHasItsOwnHttpClientAndDeliveryOptions()
    {
        _root.Write("same-name/points.yaml", """
            journey: points
            entry: { on: order_paid }
            start: credit
            steps:
              credit:
                call: { action: loyalty, with: { points: "200" } }
                then: [ { on: $done, goto: notify }, { on: $failed, goto: end } ]
              notify:
                send: { channel: loyalty, template: points/award }
            """);
        await using var actionReceiver = await ScriptedReceiver.StartAsync();
        await using var channelReceiver = await ScriptedReceiver.StartAsync();
        actionReceiver.Script(Reply.Status(503), Reply.Status(503), Reply.Answer("""{"status":"ok"}"""));
        channelReceiver.Script(Reply.Status(503));
        var (actionHandled, channelHandled) = (0, 0);
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "same-name")
            .AddHttpAction("loyalty", o => o.Url = actionReceiver.Url)
            .AddWebhookChannel("loyalty", o =>
            {
                o.Url = channelReceiver.Url;
                o.Secret = "0123456789abcdef";
            });
        builder.Services.AddHttpClient(JourneysBuilderExtensions.ActionOptionsName("loyalty"))
            .AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref actionHandled)));
        builder.Services.AddHttpClient("loyalty").AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref channelHandled)));
        builder.Services.Configure<ChannelDeliveryOptions>(JourneysBuilderExtensions.ActionOptionsName("loyalty"), o => (o.MaxAttempts, o.BaseDelay) = (3, TimeSpan.Zero));
        builder.Services.Configure<ChannelDeliveryOptions>("loyalty", o => o.MaxAttempts = 1);
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = new ConcurrentQueue<JourneyDecision>();
        engine.Decisions.Subscribe(decisions.Enqueue);

        await engine.PublishAsync(new CustomerEvent("c1", "order_paid"));
        for (var i = 0; i < 3; i++)
        {
            await engine.DrainAsync().WaitAsync(Runtime.EngineHarness.SafetyTimeout); // the call, its answer's move, the send
        }

        await host.StopAsync();

        // The action's three attempts (its options) went through its client only; the channel's one attempt through its own.
        Assert.Equal((3, 1), (actionReceiver.Received.Count, channelReceiver.Received.Count));
        Assert.Equal((3, 1), (actionHandled, channelHandled));
        Assert.Contains(decisions, d => d.Kind == DecisionKind.Called && d.Channel == "loyalty");
        Assert.Contains(decisions, d => d.Kind == DecisionKind.Failed && d.Step == "notify" && d.Channel == "loyalty");
    }

    [Fact]
    public void AddHttpAction_NoNameOrConfigure_ThrowsAtOnce()
    {
        var journeys = new ServiceCollection().AddJourneys(o => o.Folder = "journeys");

        Assert.Throws<ArgumentException>(() => journeys.AddHttpAction(" ", o => { }));
        Assert.Throws<ArgumentNullException>(() => journeys.AddHttpAction("loyalty-credit", null!));
    }

    private sealed class CountingHandler(Action counted) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counted();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
