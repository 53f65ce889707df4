using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="JourneyEngine.RemoveFromJourneyAsync"/>: the owning partition ends the run as an exit with the
/// reason <c>removed</c>, its timer no longer moves the customer, and the change is saved — on the in-memory store and
/// on a real SQLite file — so a restarted engine has the customer outside the journey.</summary>
public sealed class RemoveFromJourneyTests : IDisposable
{
    private const string Nurture = """
        journey: nurture
        entry: { on: signed_up }
        reentry: never
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

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IJourneyStore Store(string kind) => ControlHarness.Store(kind, _folder);

    private static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartAsync(IJourneyStore store, FakeTimeProvider time)
    {
        return await ControlHarness.StartRecordingAsync(new JourneyEngineBuilder().UseCatalog(JourneyLoader.LoadYaml(("nurture.yaml", Nurture)))
            .AddChannel(new RecordingChannel()).UseTimeProvider(time).UseStore(store).WithPartitions(2));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Remove_CustomerInTheJourney_ExitsAsRemovedAndStaysOutAfterARestart(string kind)
    {
        var time = new FakeTimeProvider(Start);
        var store = Store(kind);
        try
        {
            var (engine, decisions) = await StartAsync(store, time);
            await engine.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await engine.PublishAsync(new CustomerEvent("c2", "signed_up"));
            await engine.DrainAsync();

            Assert.True(await engine.RemoveFromJourneyAsync("c1", "nurture"));
            Assert.False(await engine.RemoveFromJourneyAsync("c1", "nurture"));      // no run left
            Assert.False(await engine.RemoveFromJourneyAsync("nobody", "nurture"));  // unknown customer
            await engine.DrainAsync();
            await engine.StopAsync();

            var exit = Assert.Single(decisions, d => d.Kind == DecisionKind.Exited);
            Assert.Equal(("c1", "welcome", ReasonKind.Removed, "removed"), (exit.CustomerId, exit.Step, exit.Why!.Kind, exit.Reason));

            // A new engine on the same store: c2's timer moves c2 to tips; c1 is out, and reentry: never keeps them out.
            time.Advance(TimeSpan.FromDays(3));
            var (again, after) = await StartAsync(store, time);
            await again.PublishAsync(new CustomerEvent("c1", "signed_up"));
            await again.DrainAsync();
            await again.StopAsync();

            Assert.Contains(after, d => d.CustomerId == "c2" && d.Kind == DecisionKind.Moved && d.Step == "tips");
            Assert.DoesNotContain(after, d => d.CustomerId == "c1");
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Remove_UnknownJourney_IsAnArgumentErrorNamingTheJourneys()
    {
        var time = new FakeTimeProvider(Start);
        var (engine, _) = await StartAsync(new InMemoryJourneyStore(), time);
        await using var _ = engine;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => engine.RemoveFromJourneyAsync("c1", "nurtur"));

        Assert.StartsWith("No journey 'nurtur'; journeys are nurture.", error.Message, StringComparison.Ordinal);
    }
}
