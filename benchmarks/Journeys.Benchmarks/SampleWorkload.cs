using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.State;

namespace Journeys.Benchmarks;

/// <summary>The benchmark workload: the sample journeys and policy, a population, and a realistic event mix in which
/// most events touch no journey (page views), some feed activity aggregates, and a few percent move or send.</summary>
internal static class SampleWorkload
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static JourneyCatalog Catalog() => JourneyLoader.LoadFolder(FindSamples()).ThrowIfInvalid();

    /// <summary>The actions the sample journeys call (value boost's loyalty-credit), answered as samples/actions.json says:
    /// every engine built on <see cref="Catalog"/> registers them (<c>.AddActions(SampleWorkload.Actions())</c>).</summary>
    public static ActionAnswers Actions() => ActionAnswers.ReadFile(Path.Combine(FindSamples(), "..", "actions.json"));

    public static string FindSamples()
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

        throw new DirectoryNotFoundException("samples/journeys not found above the working directory");
    }

    public static string CustomerId(int i) => "c" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Events for <paramref name="customers"/> customers: 90% page views, 6% app opens and logins, 4% interactions,
    /// orders and sign-ups. No timestamps: the processor stamps them with the time it is given. Each event carries its
    /// own copy of the customer id, allocated with it, as an event read off a queue or a JSON line does: events sharing
    /// one id string per customer would make hashing the id a random cache miss that production never pays.</summary>
    public static CustomerEvent[] Events(int count, int customers, int seed = 7)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, customers).Select(CustomerId).ToArray();
        var events = new CustomerEvent[count];
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            var type = roll switch
            {
                < 0.90 => "page_view",
                < 0.93 => "app_open",
                < 0.96 => "login",
                < 0.985 => "interaction",
                < 0.995 => "order_completed",
                _ => "signed_up",
            };
            events[i] = new CustomerEvent(new string(ids[random.Next(customers)]), type);
        }

        return events;
    }

    /// <summary>Page views (no journey or aggregate reads them) of known customers in random order: events that change
    /// nothing. Random like the mix, so the customer lookup pays the cache misses it pays in production.</summary>
    public static CustomerEvent[] Idle(int count, int customers, int seed = 11)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, customers).Select(CustomerId).ToArray();
        return Enumerable.Range(0, count).Select(_ => new CustomerEvent(new string(ids[random.Next(customers)]), "page_view")).ToArray();
    }

    /// <summary>Applies <paramref name="events"/> as a partition worker does: in batches of
    /// <see cref="Partition.MaxEventBatch"/>, one millisecond apart from <paramref name="now"/>, prefetching ahead.</summary>
    public static long ProcessInBatches(PartitionProcessor processor, CustomerEvent[] events, long now, long[] times)
    {
        for (var i = 0; i < events.Length; i += Partition.MaxEventBatch)
        {
            var n = Math.Min(Partition.MaxEventBatch, events.Length - i);
            for (var k = 0; k < n; k++)
            {
                times[k] = now += TimeSpan.TicksPerMillisecond;
            }

            processor.ProcessBatch(events.AsSpan(i, n), times.AsSpan(0, n));
        }

        return now;
    }

    /// <summary>A processor for <paramref name="catalog"/> whose decisions are only counted and whose messages go
    /// nowhere, with <paramref name="customers"/> identified at <see cref="Start"/>.</summary>
    public static PartitionProcessor Population(JourneyCatalog catalog, int customers)
    {
        var processor = new PartitionProcessor(new RuntimeModel(catalog), new CountingSink(), _ => { });
        Identify(processor, customers, Start.UtcTicks);
        return processor;
    }

    /// <summary>Gives every customer a profile (traits and time zone), as a warmed-up production engine would have;
    /// with <paramref name="owns"/>, only the customers whose ids it accepts (the partition's share).</summary>
    public static void Identify(PartitionProcessor processor, int customers, long nowTicks, Func<string, bool>? owns = null)
    {
        var zones = new[] { "Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC" };
        for (var i = 0; i < customers; i++)
        {
            if (owns is not null && !owns(CustomerId(i)))
            {
                continue;
            }

            processor.Identify(new CustomerProfile(CustomerId(i), new Dictionary<string, object?>
            {
                ["spend12m"] = (double)(i % 97 * 100),
                ["firstName"] = "Li",
            }, zones[i % zones.Length]), nowTicks);
        }
    }

    internal sealed class CountingSink : IDecisionSink
    {
        public long Count;

        public void Emit(JourneyDecision decision) => Count++;
    }
}
