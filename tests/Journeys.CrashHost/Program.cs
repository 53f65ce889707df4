// The crash test's child process (tests/Journeys.Tests/Persistence/CrashTests.cs): runs the sample population through
// an engine on a SqliteJourneyStore in virtual time and logs every decision and delivery as JSON lines. Killed at any
// moment and started again on the same work folder, it resumes: the store says, per customer, up to which event it was
// saved (crash-watermark.yaml makes the engine keep every event type's last time), and only later inputs are published
// again. After every simulated day it drains the engine and records the input position as a checkpoint; at start it
// checks the drain's promise — every input before the checkpoint is in the store — and exits with 3 if it is broken.
//
// usage: Journeys.CrashHost <journeys folder> <work folder> <customers> <days>
// exit:  0 done (work/done written), 2 bad setup, 3 the drain promise was broken
using System.Globalization;
using Journeys.CrashHost;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Sample;
using Journeys.Sqlite;
using Microsoft.Extensions.Time.Testing;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Journeys.CrashHost <journeys folder> <work folder> <customers> <days>");
    return 2;
}

var (sampleJourneys, work) = (args[0], args[1]);
var (customers, days) = (int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
var origin = start - Population.History;
var inputs = Inputs.Generate(customers, start, days);

var catalog = JourneyLoader.LoadFolder(Inputs.PrepareJourneys(sampleJourneys, work)).ThrowIfInvalid();
var tracked = catalog.Aggregates.Select(a => a.EventType).ToHashSet(StringComparer.Ordinal);
if (inputs.Select(i => i.Event?.Type).OfType<string>().FirstOrDefault(t => !tracked.Contains(t)) is { } untracked)
{
    Console.Error.WriteLine($"event type '{untracked}' is not tracked; add it to crash-watermark.yaml");
    return 2;
}

using var store = new SqliteJourneyStore(Path.Combine(work, "journeys.db"));
// The store keeps opaque records; the host reads its watermark from the payload's documented JSON (format version 1 or 2).
var savedUpTo = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
await foreach (var record in store.LoadCustomersAsync(CancellationToken.None))
{
    savedUpTo[record.Id] = Watermark.LastSeen(record);
}

var outbox = (await store.LoadOutboxAsync(CancellationToken.None)).Count; // decided and saved, not known delivered: the engine delivers them again at start
var checkpointPath = Path.Combine(work, "checkpoint");
var checkpoint = File.Exists(checkpointPath) ? int.Parse(File.ReadAllText(checkpointPath), CultureInfo.InvariantCulture) : 0;
for (var i = 0; i < checkpoint; i++)
{
    if (inputs[i].Event is { } e && !(savedUpTo.TryGetValue(e.CustomerId, out var upTo) && e.Timestamp <= upTo))
    {
        Console.Error.WriteLine($"input {i} ({e} at {e.Timestamp:O}) came before checkpoint {checkpoint}, which a drain acknowledged, but is not in the store");
        return 3;
    }
}

var segment = Directory.GetFiles(work, "decisions-*.jsonl").Length;
using var decisions = new JsonLines(Path.Combine(work, $"decisions-{segment:D2}.jsonl"));
using var deliveries = new JsonLines(Path.Combine(work, $"deliveries-{segment:D2}.jsonl"));
var time = new FakeTimeProvider(origin);
await using var engine = new JourneyEngineBuilder()
    .UseCatalog(catalog)
    .AddChannel(new LogChannel(deliveries))
    .AddActions(ActionAnswers.ReadFile(Path.Combine(sampleJourneys, "..", "actions.json"))) // value boost's loyalty-credit
    .UseTimeProvider(time)
    .UseStore(store)
    .WithPartitions(2)
    .Build();
using var subscription = engine.Decisions.Subscribe(d => decisions.Write(new DecisionLine(d.Timestamp, d.CustomerId, d.JourneyId, d.Version,
    d.Step, d.KindName, d.Channel, d.Template, d.Category?.ToString(), d.Tier, d.Reason, d.From)));
await engine.StartAsync();
Console.WriteLine($"started segment {segment}: {savedUpTo.Count} customers in the store, checkpoint {checkpoint}, {outbox} message(s) in the outbox");

var day = -1;
for (var i = 0; i < inputs.Count; i++)
{
    var (at, profile, customerEvent) = inputs[i];
    var today = (int)(at - origin).TotalDays;
    if (today != day)
    {
        await Checkpoint(i);
        day = today;
        Console.WriteLine($"day {day}");
    }

    if (at > time.GetUtcNow())
    {
        time.SetUtcNow(at);
    }

    if (savedUpTo.TryGetValue(profile?.CustomerId ?? customerEvent!.CustomerId, out var upTo) && at <= upTo)
    {
        continue; // the store has it already
    }

    if (profile is not null)
    {
        await engine.IdentifyAsync(profile);
    }
    else
    {
        await engine.PublishAsync(customerEvent!);
    }
}

// Every partition fires its timers up to the end: an event no journey reads, for every customer, runs the clock there.
time.SetUtcNow(start.AddDays(days));
for (var c = 0; c < customers; c++)
{
    await engine.PublishAsync(new CustomerEvent(Population.Id(c), "crash_end"));
}

await Checkpoint(inputs.Count);
await engine.StopAsync();
File.WriteAllText(Path.Combine(work, "done"), "done");
Console.WriteLine("done");
return 0;

async Task Checkpoint(int position)
{
    await engine.DrainAsync();
    decisions.Sync();
    deliveries.Sync();
    if (position <= checkpoint)
    {
        return; // a restarted run passes positions the checkpoint already covers
    }

    checkpoint = position;
    var temporary = checkpointPath + ".tmp";
    using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
    {
        file.Write(System.Text.Encoding.ASCII.GetBytes(position.ToString(CultureInfo.InvariantCulture)));
        file.Flush(flushToDisk: true);
    }

    File.Move(temporary, checkpointPath, overwrite: true);
}
