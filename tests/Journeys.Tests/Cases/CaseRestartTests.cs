using System.Text;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Journeys.Tests.Runtime.Sim;

namespace Journeys.Tests.Cases;

/// <summary>Runs of a journey with cases, and the entering event <c>entry.*</c> reads, are part of the customer's state:
/// both stores save several runs of one journey with their keys and entering events, and a restart mid-run goes on as if
/// nothing happened (timers per run, templates still render <c>entry.ticketId</c>). Records of format version 1 still load.</summary>
public sealed class CaseRestartTests
{
    private const string Feedback = """
        journey: feedback
        entry: { on: feedback_submitted }
        case: event.ticketId
        start: open
        steps:
          open:
            then:
              - { on: feedback_answered, goto: answered }
              - { after: 2d, goto: late }
          late:
            send: { channel: email, template: feedback/late }
          answered:
        """;

    private static JourneyCatalog Catalog(TempFolder folder)
    {
        folder.Write("feedback.yaml", Feedback);
        folder.Write("templates/feedback/late.liquid", "Ticket {{ entry.ticketId }} ({{ entry.kind }}) is late");
        var catalog = JourneyLoader.LoadFolder(folder.Path);
        Diagnose.NoErrors(catalog);
        return catalog;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task RestartMidRun_EachCaseFiresItsTimer_AndItsTemplateStillRendersEntryTicketId(string kind)
    {
        using var folder = new TempFolder();
        var catalog = Catalog(folder);
        var time = new FakeTimeProvider(T);
        var channel = new RecordingChannel();
        var decisions = new List<string>();
        var memory = new InMemoryJourneyStore();
        IJourneyStore Open() => kind == "sqlite" ? new SqliteJourneyStore(Path.Combine(folder.Path, "journeys.db")) : memory;

        JourneyEngine Start(IJourneyStore store)
        {
            var engine = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(channel).UseTimeProvider(time).UseStore(store).WithPartitions(1).Build();
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d) + $" [{d.Case}]"); } });
            engine.Start();
            return engine;
        }

        var first = Open();
        await using (var engine = Start(first))
        {
            await engine.PublishAsync([new CustomerEvent("c1", "feedback_submitted", T, new Dictionary<string, object?> { ["ticketId"] = "T-2", ["kind"] = "complaint" })]);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            time.Advance(TimeSpan.FromHours(1));
            await engine.PublishAsync([new CustomerEvent("c1", "feedback_submitted", T.AddHours(1), new Dictionary<string, object?> { ["ticketId"] = "T-3", ["kind"] = "suggestion" })]);
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        (first as IDisposable)?.Dispose();
        time.Advance(TimeSpan.FromDays(1));
        var second = Open();
        await using (var engine = Start(second))
        {
            time.Advance(TimeSpan.FromDays(3));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        (second as IDisposable)?.Dispose();
        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered open (on feedback_submitted) [T-2]",
            "2026-01-05T11:00:00Z c1 entered open (on feedback_submitted) [T-3]",
            "2026-01-07T10:00:00Z c1 moved late from open (after 2d) [T-2]",
            "2026-01-07T10:00:00Z c1 sent late email:feedback/late [T-2]",
            "2026-01-07T10:00:00Z c1 completed late [T-2]",
            "2026-01-07T11:00:00Z c1 moved late from open (after 2d) [T-3]",
            "2026-01-07T11:00:00Z c1 sent late email:feedback/late [T-3]",
            "2026-01-07T11:00:00Z c1 completed late [T-3]",
        ], decisions);
        Assert.Equal(["Ticket T-2 (complaint) is late", "Ticket T-3 (suggestion) is late"], channel.Messages.OrderBy(m => m.Timestamp).Select(m => m.Body));
    }

    [Fact]
    public void Snapshot_OfTwoCases_RoundTripsTheirKeysEntriesAndHistory()
    {
        var snapshot = new CustomerSnapshot
        {
            Id = "c1",
            Instances =
            [
                new InstanceSnapshot("feedback", 1, 1, "open", T, T) { Case = "T-2", Entry = new Dictionary<string, object?> { ["ticketId"] = "T-2", ["n"] = 7.0 } },
                new InstanceSnapshot("feedback", 1, 2, "open", T.AddHours(1), T.AddHours(1)) { Case = "T-3" },
            ],
            Journeys = [new JourneyMemorySnapshot("feedback", 3, T.AddHours(1)) { Cases = [new CaseKeySnapshot("T-1", 1, T.AddHours(-5)), new CaseKeySnapshot("T-2", 1, T)] }],
            Deferred = [new DeferredSnapshot("feedback", 1, 1, "open", 0, T, T.AddHours(8), "quiet-hours") { Case = "T-2" }],
        };

        var record = RecordCodec.Encode(snapshot);
        var back = RecordCodec.Decode(record);

        Assert.Equal(2, record.Version);
        Assert.Equal(["T-2", "T-3"], back.Instances.Select(i => i.Case));
        Assert.Equal(7.0, back.Instances[0].Entry!["n"]);
        Assert.Null(back.Instances[1].Entry);
        Assert.Equal([("T-1", 1), ("T-2", 1)], back.Journeys[0].Cases.Select(c => (c.Key, c.Entries)));
        Assert.Equal("T-2", back.Deferred[0].Case);
    }

    [Fact]
    public async Task RecordOfFormatVersion1_StillLoads_AndItsRunGoesOn()
    {
        // What Journeys wrote before cases: format version 1, no case, no entry.
        const string V1 = """
            {"timeZone":"UTC","traits":{"plan":"gold"},
             "instances":[{"journey":"feedback","version":1,"sequence":1,"step":"open","enteredAt":"2026-01-05T10:00:00+00:00","arrivedAt":"2026-01-05T10:00:00+00:00"}],
             "journeys":[{"journey":"feedback","entries":1,"lastEntry":"2026-01-05T10:00:00+00:00"}]}
            """;
        var store = new InMemoryJourneyStore();
        await store.SaveChangesAsync([new CustomerRecord("c1", 1, Encoding.UTF8.GetBytes(V1))], [], [], CancellationToken.None);
        var decoded = RecordCodec.Decode(store.Find("c1")!);
        Assert.Equal(("open", null), (decoded.Instances[0].Step, decoded.Instances[0].Case));

        var catalog = Load(Feedback.Replace("case: event.ticketId\n", "", StringComparison.Ordinal).Replace("    send: { channel: email, template: feedback/late }\n", "", StringComparison.Ordinal));
        var time = new FakeTimeProvider(T.AddDays(1));
        var decisions = new List<string>();
        await using (var engine = new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel()).UseTimeProvider(time).UseStore(store).WithPartitions(1).Build())
        {
            engine.Decisions.Subscribe(d => { lock (decisions) { decisions.Add(Line(d)); } });
            engine.Start();
            time.Advance(TimeSpan.FromDays(2));
            await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);
            await engine.StopAsync().WaitAsync(EngineHarness.SafetyTimeout);
        }

        Assert.Equal(["2026-01-07T10:00:00Z c1 moved late from open (after 2d)", "2026-01-07T10:00:00Z c1 completed late"], decisions);
        Assert.Equal(2, store.Find("c1")!.Version); // saved again in this build's format
    }
}
