using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Actions;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Journeys.Tests.Hosting;

/// <summary>Actions in a host: <c>AddAction&lt;T&gt;()</c> (made by the container) and <c>AddAction(instance)</c> reach
/// the engine the host builds, delivered under the <see cref="ChannelDeliveryOptions"/> named <c>action:</c> and the action's name; a journey
/// calling an action the host did not register fails the start naming it.</summary>
public sealed class ActionHostingTests : IDisposable
{
    private const string Credit = """
        journey: credit
        entry: { on: order_completed }
        start: ask
        steps:
          ask:
            call: { action: loyalty-credit, with: { points: "200" } }
            then: [ { on: $done, goto: thanks }, { on: $failed, goto: end } ]
          thanks:
        """;

    private readonly TempFolder _root = new();

    public ActionHostingTests() => _root.Write("journeys/credit.yaml", Credit);

    public void Dispose() => _root.Dispose();

    private HostApplicationBuilder NewHost() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _root.Path });

    /// <summary>What the container gives <see cref="ContainerAction"/>: the requests it saw.</summary>
    public sealed class CallLog
    {
        public List<ActionRequest> Requests { get; } = [];
    }

    /// <summary>Made by the container: the first attempt fails (worth a retry), the next answers.</summary>
    public sealed class ContainerAction(CallLog log) : IJourneyAction
    {
        public string Name => "loyalty-credit";

        public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken)
        {
            lock (log.Requests)
            {
                log.Requests.Add(request);
                return ValueTask.FromResult(log.Requests.Count == 1 ? ActionResult.Retry("busy") : ActionResult.Done());
            }
        }
    }

    [Fact]
    public async Task Host_ActionRegisteredByType_IsMadeByTheContainerAndRetriedUnderItsNamedOptions()
    {
        var builder = NewHost();
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel()).AddAction<ContainerAction>().AddAction<ContainerAction>();
        builder.Services.Configure<ChannelDeliveryOptions>(JourneysBuilderExtensions.ActionOptionsName("loyalty-credit"), o => o.BaseDelay = TimeSpan.Zero);
        using var host = builder.Build();

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var decisions = new List<JourneyDecision>();
        engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(d); } });
        await engine.PublishAsync(new CustomerEvent("c1", "order_completed"));
        await engine.DrainAsync().WaitAsync(Runtime.EngineHarness.SafetyTimeout);
        await engine.DrainAsync().WaitAsync(Runtime.EngineHarness.SafetyTimeout);
        await host.StopAsync();

        var log = host.Services.GetRequiredService<CallLog>();
        Assert.Equal(2, log.Requests.Count);
        Assert.Equal(200.0, log.Requests[0].Arguments["points"]);
        lock (decisions)
        {
            Assert.Equal("loyalty-credit", Assert.Single(decisions, d => d.Kind == DecisionKind.Called).Channel);
            Assert.Contains(decisions, d => d.Kind == DecisionKind.Completed && d.Step == "thanks");
        }
    }

    [Fact]
    public async Task Host_ActionInstance_ReachesTheEngine()
    {
        var action = new FixedAction("loyalty-credit", ActionResult.Permanent("closed"));
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel()).AddAction(action);
        using var host = builder.Build();

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        await engine.PublishAsync(new CustomerEvent("c1", "order_completed"));
        await engine.DrainAsync().WaitAsync(Runtime.EngineHarness.SafetyTimeout);
        await host.StopAsync();

        Assert.Single(action.Requests);
    }

    [Fact]
    public async Task Host_JourneyCallingAnUnregisteredAction_FailsAtStartNamingIt()
    {
        var builder = NewHost();
        builder.Services.AddJourneys(o => o.Folder = "journeys").AddChannel(new RecordingChannel());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("journeys call action 'loyalty-credit'", ex.ToString());
    }
}
