using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary><see cref="PartitionProcessor.ProcessBatch"/> prefetches customers ahead of the event it applies; what it
/// decides must be exactly what <see cref="PartitionProcessor.Process"/> decides event by event.</summary>
public sealed class ProcessBatchTests
{
    private sealed class Log : IDecisionSink
    {
        public List<string> Lines { get; } = [];

        public void Emit(JourneyDecision d) =>
            Lines.Add($"{d.Timestamp:O} {d.CustomerId} {d.JourneyId} v{d.Version} {d.Step} {d.KindName} {d.Channel} {d.Template} {d.Reason} {d.From}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void ProcessBatch_SampleJourneysOverAMonthOfRandomEvents_DecidesAndSendsExactlyAsEventByEvent(int batchSize)
    {
        var catalog = JourneyLoader.LoadFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys")).ThrowIfInvalid();
        var model = new RuntimeModel(catalog);
        var (oneByOne, batched) = (new Log(), new Log());
        var (sentOneByOne, sentBatched) = (new List<string>(), new List<string>());
        var single = new PartitionProcessor(model, oneByOne, m => sentOneByOne.Add(m.IdempotencyKey));
        var batch = new PartitionProcessor(model, batched, m => sentBatched.Add(m.IdempotencyKey));

        var random = new Random(42);
        string[] types = ["page_view", "page_view", "page_view", "app_open", "login", "interaction", "order_completed", "signed_up", "unsubscribed"];
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var events = new CustomerEvent[20_000];
        var nows = new long[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new CustomerEvent("c" + random.Next(500), types[random.Next(types.Length)]);
            nows[i] = start + i * (TimeSpan.TicksPerDay * 30 / events.Length);
        }

        for (var i = 0; i < events.Length; i++)
        {
            single.Process(events[i], nows[i]);
        }

        for (var i = 0; i < events.Length; i += batchSize)
        {
            var n = Math.Min(batchSize, events.Length - i);
            batch.ProcessBatch(events.AsSpan(i, n), nows.AsSpan(i, n));
        }

        Assert.True(oneByOne.Lines.Count > 1_000, $"only {oneByOne.Lines.Count} decisions: the workload moves too little to compare");
        Assert.Equal(oneByOne.Lines, batched.Lines);
        Assert.Equal(sentOneByOne, sentBatched);
    }
}
