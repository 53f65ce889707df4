// Journeys on Orleans, on one machine: three silos (each its own host on loopback ports) clustered, stored and reminded
// through Redis, a client routing events to 64 shard grains, months of the sample journeys in virtual time.
// Usage: [customers]              run the sample (default 2,000 customers, 90 days)
//        bench [events] [shards]  events/s through the plain engine and through one- and two-silo clusters
//        silo SERVICE SHARDS TICKS   one silo as its own process, driven on standard input (SiloProcess.cs)
// Journeys: JOURNEYS_FOLDER (with actions.json beside it), else samples/journeys above the current or the program's folder.
// Redis: JOURNEYS_REDIS, else 127.0.0.1:6379 (start one: redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no).
using System.Diagnostics;
using Journeys.Delivery;
using Journeys.Language.Loading;
using Journeys.Orleans.Sample;
using Microsoft.Extensions.Time.Testing;

var redis = Environment.GetEnvironmentVariable("JOURNEYS_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379";
var folder = Environment.GetEnvironmentVariable("JOURNEYS_FOLDER") is { Length: > 0 } given ? given : FindJourneys();
var catalog = JourneyLoader.LoadFolder(folder);
// The action value boost calls (loyalty-credit), answered as samples/actions.json says (simulate --actions reads it too).
var actions = ActionAnswers.ReadFile(Path.Combine(folder, "..", "actions.json"));
if (catalog.HasErrors)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, catalog.Diagnostics));
    return 1;
}

if (args is ["silo", var serviceId, var shardCount, var startTicks])
{
    return await SiloProcess.RunAsync(redis, catalog, actions, serviceId, int.Parse(shardCount), long.Parse(startTicks)); // one silo of a multi-process run
}

if (args.Length > 0 && args[0] == "bench")
{
    await Bench.RunAsync(redis, catalog, actions, args.Length > 1 ? int.Parse(args[1]) : 200_000, args.Length > 2 ? int.Parse(args[2]) : 256);
    return 0;
}

var customers = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 2_000;
var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
const int days = 90;
var time = new FakeTimeProvider(start);
var clock = Stopwatch.StartNew();
await using var cluster = new SampleCluster(redis, catalog, actions, time, shards: 64);
for (var i = 0; i < 3; i++)
{
    await cluster.StartSiloAsync();
}

await cluster.ConnectAsync();
Console.WriteLine($"three silos and a client up in {clock.Elapsed.TotalSeconds:F1} s (Redis at {redis})");

clock.Restart();
var inputs = Inputs.Make(customers, start, days);
foreach (var group in inputs.OrderBy(i => i.Timestamp).ThenBy(i => i.Line).GroupBy(i => i.Timestamp))
{
    if (group.Key > time.GetUtcNow())
    {
        if (group.Key.Date > time.GetUtcNow().Date)
        {
            await cluster.Journeys.DrainAsync(); // a day at a time: what was published is applied before the clock moves on
        }

        time.Advance(group.Key - time.GetUtcNow());
    }

    await cluster.Journeys.PublishAsync(group.ToList());
}

time.Advance(start.AddDays(days) - time.GetUtcNow());
await cluster.Journeys.DrainAsync();
Console.WriteLine($"{customers:N0} customers, {inputs.Count:N0} inputs, {days} days in {clock.Elapsed.TotalSeconds:F1} s");
foreach (var (kind, count) in cluster.Decisions.OrderByDescending(kv => kv.Value))
{
    Console.WriteLine($"  {kind,-12} {count,8:N0}");
}

Console.WriteLine($"  delivered    {cluster.Delivered.Count,8:N0} messages, {cluster.Delivered.Select(m => m.IdempotencyKey).Distinct().Count():N0} distinct keys");
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

    throw new DirectoryNotFoundException("samples/journeys not found above the current or the program's folder.");
}
