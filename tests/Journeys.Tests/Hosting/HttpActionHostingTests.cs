using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Channels;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Hosting;

/// <summary><c>AddHttpAction</c> in a real generic host: the container resolves the action as an
/// <see cref="IJourneyAction"/> under its name, calling through the named client on the host's clock, and wrong options
/// fail the start naming the property.</summary>
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
        builder.Services.AddHttpClient("loyalty-credit").AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref handled)));
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
