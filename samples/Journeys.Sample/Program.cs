// The main sample: the lifecycle journeys of samples/journeys run over a generated population for three months,
// in virtual time (FakeTimeProvider): months of timers fire in seconds, and every run prints the same table.
using System.Diagnostics;
using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Sample;
using System.Reactive.Linq;
using Microsoft.Extensions.Time.Testing;

// Usage: [customers] [journeys folder] [--messages FILE (every message as JSON lines)] [--console (print each message)]
//        [--channels FILE (a JSON file routing channel names to adapters: samples/channels.example.json, docs/channels.md)]
var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--messages" or "--channels"))).ToList();
var customers = positional.Count > 0 && int.TryParse(positional[0], out var n) ? n : 20_000;
var folder = positional.Count > 1 ? positional[1] : FindJourneys();
var messagesFile = args.SkipWhile(a => a != "--messages").Skip(1).FirstOrDefault();
var channelsFile = args.SkipWhile(a => a != "--channels").Skip(1).FirstOrDefault();
var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
const int days = 91;

var time = new FakeTimeProvider(start - Population.History);
IChannel channel = messagesFile is not null ? new JsonLinesFileChannel(messagesFile)   // every message, one JSON object a line
    : options.Contains("--console") ? new ConsoleChannel()                            // every message, one readable line
    : new RecordingChannel();
// A channels file routes the channel names it names to real adapters; the others stay on the channel above.
await using var configured = channelsFile is null ? null : SampleChannels.TryLoad(channelsFile, time, Console.Error);
if (channelsFile is not null && configured is null)
{
    return 2;
}

var sentMessages = 0L;
// The journeys run on the fake clock this loop moves; the deliveries wait on real time (retry backoff, attempt
// timeouts, rate limits). This loop is held by back-pressure while a lane is full, so a delivery waiting on the fake
// clock would wait forever (docs/embedding.md, "Time").
var builder = new JourneyEngineBuilder().LoadFolder(folder).AddChannel(channel).UseTimeProvider(time).UseDeliveryTimeProvider(TimeProvider.System);
var ledger = new LoyaltyLedger(); // answers value boost's call: { action: loyalty-credit }; orders earn points below
builder.AddAction(ledger);
foreach (var adapter in configured?.Channels ?? [])
{
    builder.AddChannel(adapter);
}

await using var engine = builder.Build().Start();

var stats = new JourneyStats();
var pace = new PaceStats(start);
using var subscription = engine.Decisions.Where(d => d.Timestamp >= start).Subscribe(d => // the three months, not the history
{
    stats.Add(d);
    pace.Add(d);
    if (d.Kind == DecisionKind.Sent)
    {
        Interlocked.Increment(ref sentMessages);
    }
});

Console.WriteLine($"Journeys sample: {customers:N0} customers, {days} days from {start:yyyy-MM-dd}, journeys from {folder}");
if (messagesFile is not null || options.Contains("--console"))
{
    // The population has a history (sign-ups, purchases) so that dormant and value journeys have someone to find on the
    // first day: its messages are real sends of the engine too, and they are in the file or on the console.
    Console.WriteLine($"  note: the messages include a {Population.History.TotalDays:0}-day warm-up from {start - Population.History:yyyy-MM-dd} "
        + $"(the population's history); the tables count from {start:yyyy-MM-dd} only");
}
var clock = Stopwatch.StartNew();
long events = 0;
var week = -1;
foreach (var (at, profile, customerEvent) in new Population(customers, start, days).Generate())
{
    if (at > time.GetUtcNow())
    {
        time.SetUtcNow(at); // timers due before this moment fire first
    }

    if (profile is not null)
    {
        await engine.IdentifyAsync(profile);
    }
    else
    {
        await engine.PublishAsync(customerEvent!);
        events++;
        if (customerEvent is { Type: "order_completed" } order && order.Properties.GetValueOrDefault("amount") is double amount)
        {
            ledger.Earn(order.CustomerId, amount, at);
        }
    }

    var thisWeek = Math.Max(0, (int)((at - start).TotalDays / 7));
    if (thisWeek != week)
    {
        week = thisWeek;
        var progress = $"  week {week + 1,2}/{(days + 6) / 7}: {events,10:N0} events, {stats.Decisions,9:N0} decisions, {clock.Elapsed.TotalSeconds,5:F1}s";
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(progress.Trim()); // a log: one plain line a week
        }
        else
        {
            Console.Error.Write("\r" + progress); // a terminal: one line, rewritten
        }
    }
}

time.SetUtcNow(start.AddDays(days));
await engine.DrainAsync();
if (!Console.IsErrorRedirected)
{
    Console.Error.WriteLine();
}

Console.WriteLine($"  done: {events:N0} events, {stats.Decisions:N0} decisions, {sentMessages:N0} messages in {clock.Elapsed.TotalSeconds:F1}s ({events / clock.Elapsed.TotalSeconds:N0} events/s)");
Console.WriteLine();
stats.Print(Console.Out, engine.Catalog.Journeys);
Console.WriteLine();
pace.Print(Console.Out, engine.Catalog.Policy.Tiers.Select(t => t.Name).Append("default"));
Console.WriteLine();
Console.WriteLine($"loyalty-credit (the in-process ledger): {ledger.Credits:N0} calls credited double points, {ledger.Refused:N0} refused; {ledger.TotalPoints:N0} points earned");
(channel as IDisposable)?.Dispose();
if (messagesFile is not null)
{
    Console.WriteLine($"Messages written to {messagesFile}");
}
return 0;

static string FindJourneys()
{
    foreach (var origin in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "journeys");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    throw new DirectoryNotFoundException("samples/journeys not found; pass the customer count and the journeys folder as arguments.");
}
