using System.Diagnostics;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Sqlite;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>`probe store`: where durable ingest's time goes, the engine's side and the SQLite store's side apart. The
/// durable benchmark's workload (20,000 customers, passes of 50,000 events of the mix, one partition, publish + drain)
/// runs with no store and with a recording store (the engine encodes every changed customer, the store keeps the
/// batches); then the recorded batches are replayed into a fresh SQLite file, so the store's cost is measured alone, on
/// the same records, with nothing else running. Figures are wall-clock per event of the passes (PROBE_ROUNDS passes,
/// 6 by default, the first two as warm-up).</summary>
internal static class StoreProbe
{
    private const int EventsPerPass = 50_000;
    private const int Customers = 20_000;

    public static void Run()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("PROBE_ROUNDS"), out var r) ? r : 6;
        var mix = SampleWorkload.Events(EventsPerPass, Customers);
        var none = Engine(null, mix, rounds);
        var recorder = new RecordingStore();
        var memory = Engine(recorder, mix, rounds);
        Console.WriteLine($"engine, no store:             {none,8:F0} ns/event");
        Console.WriteLine($"engine, recording store:      {memory,8:F0} ns/event (encoding and the engine's save path)");
        var measured = recorder.Batches.Skip(recorder.WarmupBatches).ToList();
        var customers = measured.Sum(b => b.Customers.Count);
        var bytes = measured.Sum(b => b.Customers.Sum(c => (long)c.Data.Length));
        var outbox = measured.Sum(b => b.Added.Count);
        var done = measured.Sum(b => b.Done.Count);
        var events = (long)EventsPerPass * (rounds - 2);
        Console.WriteLine($"per measured pass: {measured.Count / (double)(rounds - 2):F1} saves, {customers / (double)(rounds - 2):F0} customers " +
                          $"({bytes / Math.Max(1, customers)} B each), {outbox / (double)(rounds - 2):F0} outbox added, {done / (double)(rounds - 2):F0} done");
        var folder = Directory.CreateTempSubdirectory("journeys-store-probe-").FullName;
        try
        {
            using var store = new SqliteJourneyStore(Path.Combine(folder, "state.db"));
            foreach (var batch in recorder.Batches.Take(recorder.WarmupBatches))
            {
                store.SaveChangesAsync(batch.Customers, batch.Added, batch.Done, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            // Replayed several times over (the same records again, as later passes would write them). The mean includes
            // the saves that fold the log (one every few repetitions), so it is the figure to quote; the fastest repetition
            // is the one least disturbed by other work on the machine.
            var repetitions = int.TryParse(Environment.GetEnvironmentVariable("PROBE_REPEAT"), out var rep) ? rep : 10;
            var (fastest, total, cpu) = (double.MaxValue, 0.0, 0.0);
            Written();
            for (var k = 0; k < repetitions; k++)
            {
                // Each repetition's records differ from the last (one byte changed): SQLite leaves a page clean when a row is
                // overwritten with the bytes it already holds, so replaying identical records would hide the cost of saving.
                var changed = measured.Select(b => (Customers: (IReadOnlyList<CustomerRecord>)b.Customers.Select(c => c with { Data = Changed(c.Data, k) }).ToList(),
                    b.Added, b.Done)).ToList();
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                foreach (var batch in changed)
                {
                    store.SaveChangesAsync(batch.Customers, batch.Added, batch.Done, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }

                watch.Stop();
                fastest = Math.Min(fastest, watch.Elapsed.TotalNanoseconds / events);
                total += watch.Elapsed.TotalNanoseconds;
                cpu += (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds;
            }

            var mean = total / (events * repetitions);
            Console.WriteLine($"sqlite store alone (replay):  {mean,8:F0} ns/event wall (mean of {repetitions}; fastest {fastest:F0}), " +
                              $"{cpu / (events * repetitions):F0} ns/event CPU; {mean * events / 1000 / Math.Max(1, customers):F1} µs per customer saved");
            Console.WriteLine($"written per event: {Written() / (double)(events * repetitions):F0} B (of the replays, /proc/self/io wchar)");
            Console.WriteLine($"file: {new FileInfo(store.FilePath).Length / 1024} KB, log: {(File.Exists(store.FilePath + "-wal") ? new FileInfo(store.FilePath + "-wal").Length / 1024 : 0)} KB");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long _written;

    private static ReadOnlyMemory<byte> Changed(ReadOnlyMemory<byte> data, int round)
    {
        var copy = data.ToArray();
        if (copy.Length > 0)
        {
            copy[copy.Length / 2] ^= (byte)(round + 1);
        }

        return copy;
    }

    /// <summary>Bytes this process wrote (wchar of /proc/self/io) since the last call.</summary>
    private static long Written()
    {
        var now = File.ReadLines("/proc/self/io").Where(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Select(l => long.Parse(l[6..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var delta = now - _written;
        _written = now;
        return delta;
    }

    private static double Engine(RecordingStore? store, CustomerEvent[] mix, int rounds)
    {
        var builder = new JourneyEngineBuilder().UseCatalog(SampleWorkload.Catalog()).AddActions(SampleWorkload.Actions()).AddChannel(new RecordingChannel()).WithPartitions(1);
        if (store is not null)
        {
            builder.UseStore(store);
        }

        var engine = builder.Build().StartAsync().GetAwaiter().GetResult();
        for (var i = 0; i < Customers; i++)
        {
            engine.Identify(new CustomerProfile(SampleWorkload.CustomerId(i), new Dictionary<string, object?> { ["spend12m"] = (double)(i % 97 * 100) }));
        }

        var watch = new Stopwatch();
        for (var round = 0; round < rounds; round++)
        {
            if (round == 2)
            {
                watch.Start();
                if (store is not null)
                {
                    store.WarmupBatches = store.Batches.Count;
                }
            }

            foreach (var e in mix)
            {
                engine.Publish(e);
            }

            engine.DrainAsync().GetAwaiter().GetResult();
        }

        watch.Stop();
        engine.StopAsync().GetAwaiter().GetResult();
        return watch.Elapsed.TotalNanoseconds / (EventsPerPass * (double)(rounds - 2));
    }

    /// <summary>Keeps every batch the engine saves (and keeps nothing else: loads are empty).</summary>
    private sealed class RecordingStore : IJourneyStore
    {
        public List<(IReadOnlyList<CustomerRecord> Customers, IReadOnlyList<OutboxRecord> Added, IReadOnlyList<string> Done)> Batches { get; } = [];

        public int WarmupBatches { get; set; }

        public async IAsyncEnumerable<CustomerRecord> LoadCustomersAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield break;
        }

        public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<OutboxRecord>>([]);

        public ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
            CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add((customers.ToArray(), outboxAdded.ToArray(), outboxDone.ToArray()));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<JourneyVersionSource>>([]);

        public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
