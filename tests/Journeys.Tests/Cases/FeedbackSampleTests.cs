using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Cases;

/// <summary>The sample <c>feedback</c> journey renders the ticket of each run from its entering event: two tickets of one
/// customer get agent tasks naming their own ticket, also after a restart on a store.</summary>
public sealed class FeedbackSampleTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    [Fact]
    public async Task SampleFeedback_TwoTicketsAcrossARestart_EachTaskNamesItsOwnTicket()
    {
        var catalog = JourneyLoader.LoadFolder(Samples);
        Assert.False(catalog.HasErrors, string.Join("\n", catalog.Diagnostics));
        var monday = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai
        var time = new FakeTimeProvider(monday);
        var channel = new RecordingChannel();
        var store = new InMemoryJourneyStore();
        JourneyEngine Start() => new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(channel)
            .AddActions(ActionAnswers.ReadFile(Path.Combine(Samples, "..", "actions.json"))).UseTimeProvider(time).UseStore(store).WithPartitions(1).Build();

        await using (var engine = Start())
        {
            engine.Start();
            await engine.IdentifyAsync(new CustomerProfile("f1", new Dictionary<string, object?> { ["firstName"] = "Mei" }, "Asia/Shanghai", monday));
            await engine.PublishAsync(
            [
                new CustomerEvent("f1", "feedback_submitted", monday, new Dictionary<string, object?> { ["ticketId"] = "T-7", ["kind"] = "complaint" }),
                new CustomerEvent("f1", "feedback_submitted", monday, new Dictionary<string, object?> { ["ticketId"] = "T-8", ["kind"] = "suggestion" }),
            ]);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        await using (var engine = Start())
        {
            engine.Start();
            time.Advance(TimeSpan.FromDays(3));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        var tasks = channel.Messages.Where(m => m.Channel == "agent-task").Select(m => (m.Template, m.Subject)).OrderBy(t => t.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            ("feedback/answer", "Feedback T-7: answer within 48 hours"),
            ("feedback/answer", "Feedback T-8: answer within 48 hours"),
            ("feedback/answer-late", "Overdue: feedback T-7 not answered in 48 hours"),
            ("feedback/answer-late", "Overdue: feedback T-8 not answered in 48 hours"),
        ], tasks);
    }
}
