using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngine.InspectCustomerAsync"/>: a read-only copy of one customer's state taken by their
/// partition, after what was published before it.</summary>
public sealed class InspectCustomerTests
{
    private const string Nurture = """
        journey: nurture
        entry: { on: signed_up }
        goal: { on: order_completed, exit: false }
        start: welcome
        steps:
          welcome:
            send: { channel: push, template: nurture/welcome }
            then:
              - after: 2d
                goto: tips
          tips:
            send: { channel: push, template: nurture/tips }
        """;

    private const string Policy = """
        policy:
          frequency:
            - { max: 5, per: 7d }
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Inspect_CustomerInAJourney_ShowsTheRunItsTimerTheSendsAndTraits()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", Nurture), ("policy.yaml", Policy)))
            .AddChannel(new RecordingChannel()).UseTimeProvider(time).WithPartitions(2).Build().Start();

        await engine.IdentifyAsync(new CustomerProfile("c1", new Dictionary<string, object?> { ["plan"] = "gold", ["age"] = 41 }, "Asia/Shanghai"));
        await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
        time.Advance(TimeSpan.FromHours(3));
        await engine.PublishAsync(new CustomerEvent("c1", "order_completed"));
        var view = await engine.InspectCustomerAsync("c1"); // queued behind the events: they are applied first

        Assert.NotNull(view);
        Assert.Equal(("c1", "Asia/Shanghai", "default", Start), (view.Id, view.TimeZone, view.Tier, view.FirstSeen));
        Assert.Equal(new Dictionary<string, object?> { ["age"] = 41.0, ["plan"] = "gold" }, view.Traits);
        Assert.Equal([new CustomerRun("nurture", 1, "welcome", Start, Start, Converted: true)], view.Runs);
        Assert.Equal([new CustomerTimer(Start.AddDays(2), "nurture", "welcome", "after 2d")], view.Timers);
        Assert.Equal([new CustomerSend(Start, "push", "nurture")], view.Sends);
        Assert.Null(await engine.InspectCustomerAsync("nobody"));
    }
}
