// The main sample: the lifecycle journeys of samples/journeys run over a generated population for 39 weeks (5 January
// to 5 October 2026: the Spring Festival, three quarterly surveys and the Mid-Autumn festival fall inside), in virtual
// time (FakeTimeProvider): months of timers fire in seconds, and every run prints the same table.
//
// It is also the fast way to embed the engine, to copy: events are published in batches (PublishAsync of a list, one
// call per instant of the feed, not one awaited call per event), decisions are read in batches (SubscribeBatches, not
// one Rx callback per decision), and the default channel keeps nothing.
using System.Diagnostics;
using Journeys.Channels;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Sample;

/// <summary>The sample program; <see cref="RunAsync"/> is what <c>Main</c> runs, callable from tests.</summary>
public static class Program
{
    /// <summary>The first day of the period the tables count.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The period's length: 39 weeks.</summary>
    public const int Days = 39 * 7;

    /// <summary>How many customers the sample generates when the command line does not say.</summary>
    public const int DefaultCustomers = 20_000;

    /// <summary>Runs the sample as the command line does.</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error, Console.IsErrorRedirected);

    /// <summary>Runs the sample: the tables go to <paramref name="output"/>, the progress to <paramref name="progress"/>
    /// (one plain line every four weeks when <paramref name="plainProgress"/>, else one line rewritten).</summary>
    /// <param name="args">[customers] [journeys folder] [--messages FILE] [--console] [--channels FILE].</param>
    /// <param name="output">Where the tables go.</param>
    /// <param name="progress">Where the progress goes.</param>
    /// <param name="plainProgress">A log (one line each time), not a terminal (one line rewritten).</param>
    /// <returns>The exit code: 0, or 2 for a bad channels file.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter progress, bool plainProgress)
    {
        // Usage: [customers] [journeys folder] [--messages FILE (every message as JSON lines)] [--console (print each message)]
        //        [--channels FILE (a JSON file routing channel names to adapters: samples/channels.example.json, docs/channels.md)]
        var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--messages" or "--channels"))).ToList();
        var customers = positional.Count > 0 && int.TryParse(positional[0], out var n) ? n : DefaultCustomers;
        var folder = positional.Count > 1 ? positional[1] : FindJourneys();
        var messagesFile = args.SkipWhile(a => a != "--messages").Skip(1).FirstOrDefault();
        var channelsFile = args.SkipWhile(a => a != "--channels").Skip(1).FirstOrDefault();
        var start = Start;
        const int days = Days;

        // The journeys run on the fake clock this loop moves; the deliveries wait on real time (retry backoff, attempt
        // timeouts, rate limits, a provider's signed timestamp). This loop is held by back-pressure while a lane is full,
        // so a delivery waiting on the fake clock would wait forever (docs/embedding.md, "Time"). Real adapters get the
        // delivery clock too.
        var time = new FakeTimeProvider(start - Population.History);
        var deliveryTime = TimeProvider.System;
        IChannel channel = messagesFile is not null ? new JsonLinesFileChannel(messagesFile)   // every message, one JSON object a line
            : options.Contains("--console") ? new ConsoleChannel(writer: output)              // every message, one readable line
            : new CountingChannel();                                                          // counts them, keeps none
        // A channels file routes the channel names it names to real adapters; the others stay on the channel above.
        await using var configured = channelsFile is null ? null : SampleChannels.TryLoad(channelsFile, deliveryTime, progress);
        if (channelsFile is not null && configured is null)
        {
            return 2;
        }

        var builder = new JourneyEngineBuilder()
            .LoadFolder(folder)
            .AddChannel(channel)
            .UseTimeProvider(time)
            .UseDeliveryTimeProvider(deliveryTime);
        var ledger = new LoyaltyLedger(); // answers value boost's call: { action: loyalty-credit }; orders earn points below
        builder.AddAction(ledger);
        foreach (var adapter in configured?.Channels ?? [])
        {
            builder.AddChannel(adapter);
        }

        await using var engine = builder.Build().Start();

        var stats = new JourneyStats();
        var pace = new PaceStats(start);
        var sentMessages = 0L;
        // A batch reader: one call per partition batch (the decisions of a batch of events or a timer turn), never two at
        // once, so the counters need no lock. The period only, not the history.
        using var reader = engine.SubscribeBatches(batch =>
        {
            foreach (var d in batch)
            {
                if (d.Timestamp < start)
                {
                    continue;
                }

                stats.Add(d);
                pace.Add(d);
                if (d.Kind == DecisionKind.Sent)
                {
                    sentMessages++;
                }
            }
        });

        output.WriteLine($"Journeys sample: {customers:N0} customers, {days / 7} weeks from {start:yyyy-MM-dd} to {start.AddDays(days):yyyy-MM-dd}, journeys from {folder}");
        if (messagesFile is not null || options.Contains("--console"))
        {
            // The population has a history (sign-ups, purchases) so that dormant and value journeys have someone to find
            // on the first day: its messages are real sends of the engine too, and they are in the file or on the console.
            output.WriteLine($"  note: the messages include a {Population.History.TotalDays:0}-day warm-up from {start - Population.History:yyyy-MM-dd} "
                + $"(the population's history); the tables count from {start:yyyy-MM-dd} only");
        }

        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long events = 0;
        var period = -1;
        var batch = new List<CustomerEvent>(1024);
        var batchAt = DateTimeOffset.MinValue;
        foreach (var input in new Population(customers, start, days).Inputs())
        {
            if (input.At != batchAt)
            {
                // The feed's next instant: what came at the last one goes to the engine as one batch, applied at that
                // instant; then the clock moves (timers due before the new instant fire first).
                await PublishAsync();
                if (input.At > time.GetUtcNow())
                {
                    time.SetUtcNow(input.At);
                    await SettleCallsAsync();
                }

                batchAt = input.At;
                var fourWeeks = Math.Max(0, (int)((input.At - start).TotalDays / 28));
                if (fourWeeks != period)
                {
                    period = fourWeeks;
                    Progress(Math.Min(days / 7, fourWeeks * 4));
                }
            }

            if (input.Profile is { } profile)
            {
                await PublishAsync(); // what came before it first: inputs stay in order
                await engine.IdentifyAsync(profile);
            }
            else
            {
                batch.Add(input.Event!);
                if (input.Event is { Type: "order_completed" } order && order.Properties.GetValueOrDefault("amount") is double amount)
                {
                    ledger.Earn(order.CustomerId, amount, input.At);
                }
            }
        }

        await PublishAsync();
        time.SetUtcNow(start.AddDays(days));
        await engine.DrainAsync();
        var elapsed = clock.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Progress(days / 7);
        if (!plainProgress)
        {
            progress.WriteLine();
        }

        output.WriteLine($"  done: {events:N0} events, {stats.Decisions:N0} decisions, {sentMessages:N0} messages in {elapsed.TotalSeconds:F1}s "
            + $"({events / elapsed.TotalSeconds:N0} events/s; {cpuUsed.TotalSeconds:F1}s of CPU)");
        output.WriteLine();
        stats.Print(output, engine.Catalog.Journeys);
        output.WriteLine();
        pace.Print(output, engine.Catalog.Policy.Tiers.Select(t => t.Name).Append("default"));
        output.WriteLine();
        output.WriteLine($"loyalty-credit (the in-process ledger): {ledger.Credits:N0} calls credited double points, {ledger.Refused:N0} refused; {ledger.TotalPoints:N0} points earned");
        (channel as IDisposable)?.Dispose();
        if (messagesFile is not null)
        {
            output.WriteLine($"Messages written to {messagesFile}");
        }

        return 0;

        async ValueTask PublishAsync()
        {
            if (batch.Count > 0)
            {
                await engine.PublishAsync(batch); // copies the events into its chunks: the list is ours again after
                events += batch.Count;
                batch.Clear();
            }
        }

        // Value boost's loyalty call is answered on a delivery thread, as a real system's would be, while this loop runs
        // ahead in virtual time: without waiting, the answer would land at whatever instant the loop had reached, and two
        // runs would print different tables. So after each move of the clock the loop waits for the engine to go quiet:
        // the timers it fired handled, their calls delivered, and (when there were calls) their answers applied at this
        // instant. This costs the sample about a third of its speed; a host on a real clock has no such loop.
        async ValueTask SettleCallsAsync()
        {
            // The timers' work, the deliveries it handed over (the ledger asked) and the answers they queued, applied at
            // this instant: one drain settles calls (it goes another round while answers come back).
            await engine.DrainAsync();
        }

        void Progress(int week)
        {
            var line = $"  week {week,2}/{days / 7}: {events,10:N0} events, {stats.Decisions,9:N0} decisions, {clock.Elapsed.TotalSeconds,5:F1}s";
            if (plainProgress)
            {
                progress.WriteLine(line.Trim()); // a log: one plain line every four weeks
            }
            else
            {
                progress.Write("\r" + line); // a terminal: one line, rewritten
            }
        }
    }

    private static string FindJourneys()
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
}
