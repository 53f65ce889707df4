using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Persistence;
using Journeys.Sqlite;

namespace Journeys.Tests.Support;

/// <summary>What the tests of the operator controls (remove, pause, forget, merge, idle eviction) share: the store of a
/// <c>[InlineData("memory")] / [InlineData("sqlite")]</c> theory, and an engine started with its decisions recorded.</summary>
internal static class ControlHarness
{
    /// <summary>The store a theory runs on: <c>"sqlite"</c>, a real file <c>journeys.db</c> in <paramref name="folder"/>
    /// (the same file each call, so a second store reopens it); anything else, an in-memory store.</summary>
    public static IJourneyStore Store(string kind, TempFolder folder) =>
        kind == "sqlite" ? new SqliteJourneyStore(folder.File("journeys.db")) : new InMemoryJourneyStore();

    /// <summary>Builds and starts the engine, recording every decision it publishes (thread-safe: lock the list to read
    /// it while the engine runs).</summary>
    public static async Task<(JourneyEngine Engine, List<JourneyDecision> Decisions)> StartRecordingAsync(JourneyEngineBuilder builder)
    {
        var engine = await builder.Build().StartAsync();
        var decisions = new List<JourneyDecision>();
        engine.Decisions.Subscribe(d =>
        {
            lock (decisions)
            {
                decisions.Add(d);
            }
        });
        return (engine, decisions);
    }
}
