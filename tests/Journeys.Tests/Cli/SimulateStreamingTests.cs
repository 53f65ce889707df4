using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Journeys.Cli;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Cli;

/// <summary>simulate streams (issue #19): the run is read in order and each instant's decisions are written once the run
/// has moved past it, so it gives the bytes the held-and-sorted run gave, keeps memory bounded however long the file,
/// and shows progress on stderr only.</summary>
[Collection(nameof(SimulateStreamingTests))]
public sealed class SimulateStreamingTests : IDisposable
{
    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A few hundred customers of the sample journeys over ten weeks: sign-ups, app opens, interactions, orders,
    /// unsubscriptions and profiles with birthdays and time zones; several lines share an instant.</summary>
    private static List<string> SampleEvents(int seed, int lines = 3000, int customers = 300)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var types = new[] { "signed_up", "app_open", "interaction", "interaction", "order_completed", "login", "consult_completed", "unsubscribed", "page_view" };
        var zones = new[] { "Asia/Shanghai", "Europe/Berlin", "UTC" };
        var at = start;
        var result = new List<string>();
        for (var i = 0; i < lines; i++)
        {
            at = at.AddMinutes(random.Next(0, 3) == 0 ? 0 : random.Next(1, 60));
            var user = "u" + random.Next(customers).ToString(CultureInfo.InvariantCulture);
            var ts = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            result.Add(random.Next(10) == 0
                ? $$$"""{"type":"identify","userId":"{{{user}}}","timestamp":"{{{ts}}}","traits":{"firstName":"Li","spend12m":{{{random.Next(0, 9000)}}},"birthday":"1990-{{{random.Next(1, 13):D2}}}-{{{random.Next(1, 28):D2}}}","timeZone":"{{{zones[random.Next(zones.Length)]}}}"}}"""
                : $$$"""{"type":"track","userId":"{{{user}}}","event":"{{{types[random.Next(types.Length)]}}}","timestamp":"{{{ts}}}","properties":{"amount":{{{random.Next(1, 500)}}}}}""");
        }

        return result;
    }

    private string WriteEvents(IEnumerable<string> lines, string name = "events.jsonl")
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>What simulate printed before it streamed: every decision held, sorted, then written.</summary>
    private static string HeldAndSorted(JourneyCatalog catalog, string events, DateTimeOffset? until)
    {
        var (inputs, errors) = SegmentReader.ReadFile(events);
        Assert.Empty(errors);
        var text = new StringWriter();
        var output = new DecisionOutput(text);
        SimulateCommand.Write(new Simulator(catalog).Run(inputs, until), output);
        output.Flush();
        return text.ToString();
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, "2026-02-01T00:00:00Z")]
    [InlineData(3, "2026-06-01T00:00:00Z")]
    public void Simulate_SampleJourneysOverManyCustomers_PrintsTheBytesTheHeldAndSortedRunPrinted(int seed, string? until)
    {
        var catalog = JourneyLoader.LoadFolder(Samples).ThrowIfInvalid();
        var events = WriteEvents(SampleEvents(seed));
        var args = new List<string> { "simulate", Samples, "--events", events };
        if (until is not null)
        {
            args.AddRange(["--until", until]);
        }

        var result = Support.Cli.Run([.. args]);

        Assert.Equal((0, ""), (result.Exit, result.Err));
        var expected = HeldAndSorted(catalog, events, until is null ? null : DateTimeOffset.Parse(until, CultureInfo.InvariantCulture));
        Assert.True(expected.Length > 10_000, "the run decides something");
        Assert.Equal(expected, result.Out);
    }

    [Fact]
    public void Simulate_LinesOutOfOrder_PrintsTheSameBytesAsInOrder()
    {
        var lines = SampleEvents(4);
        var ordered = WriteEvents(lines, "ordered.jsonl");
        var shuffled = WriteEvents(lines.Select((l, i) => (l, i)).OrderBy(x => (x.i * 7919) % lines.Count).Select(x => x.l), "shuffled.jsonl");

        var a = Support.Cli.Run("simulate", Samples, "--events", ordered);
        var b = Support.Cli.Run("simulate", Samples, "--events", shuffled);

        Assert.Equal((0, 0), (a.Exit, b.Exit));
        Assert.Equal(a.Out, b.Out);
    }

    [Fact]
    public void RunInOrder_InputEarlierThanTheOneBefore_IsRefused()
    {
        var catalog = JourneyLoader.LoadFolder(Samples).ThrowIfInvalid();
        var t = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        SegmentInput Track(int line, DateTimeOffset at) => new(line, at, new State.CustomerEvent("c1", "app_open", at), null);

        var refused = Assert.Throws<ArgumentException>(() =>
            new Simulator(catalog).RunInOrder([Track(1, t), Track(2, t.AddHours(-1))], null, _ => { }));

        Assert.Contains("line 2 is earlier than line 1", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A million events over 20,000 customers: holding them (as simulate did) takes hundreds of megabytes; the
    /// streamed run's live heap, sampled through the run, grows by less than a quarter of that. Run alone (its own
    /// collection), so that no other test's objects are counted.</summary>
    [Fact]
    public async Task Simulate_AMillionEvents_KeepsTheHeapBoundedWhereHoldingTheRunWouldNot()
    {
        const int Lines = 1_000_000;
        const long Allowance = 64L * 1024 * 1024;
        var folder = Path.Combine(_temp.Path, "journeys");
        Directory.CreateDirectory(Path.Combine(folder, "templates", "ping"));
        File.WriteAllText(Path.Combine(folder, "ping.yaml"), """
            journey: ping
            entry: { on: ping }
            reentry: always
            start: notify
            steps:
              notify:
                send: { channel: push, template: ping/notice }
            """);
        File.WriteAllText(Path.Combine(folder, "templates", "ping", "notice.liquid"), "Hi {{ customer.firstName | default: \"there\" }}\n");
        var events = Path.Combine(_temp.Path, "million.jsonl");
        using (var writer = new StreamWriter(events, false, new UTF8Encoding(false), 1 << 16))
        {
            var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < Lines; i++)
            {
                var ts = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"type":"track","userId":"c{{{i * 7919 % 20_000}}}","event":"{{{(i % 10 == 0 ? "ping" : "page_view")}}}","timestamp":"{{{ts}}}","properties":{"path":"/p/{{{i % 500}}}"}}"""));
                writer.Write('\n');
            }
        }

        // What holding the run would take: its inputs alone, measured on a tenth of them.
        var held = HeldBytes(events, Lines / 10) * 10;
        Assert.True(held > 4 * Allowance, $"holding the inputs alone would take {held:N0} bytes");

        // The live heap (after a full collection) sampled through the run, against the live heap before it.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000);
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        });
        var result = Support.Cli.Run("simulate", folder, "--events", events, "--out", Path.Combine(_temp.Path, "decisions.jsonl"));
        await stop.CancelAsync();
        await sampler;

        Assert.Equal(0, result.Exit);
        Assert.Equal(Lines / 10 * 3, File.ReadLines(Path.Combine(_temp.Path, "decisions.jsonl")).Count());
        Assert.True(peak - before < Allowance, $"the live heap grew by {peak - before:N0} bytes during the run (from {before:N0}); allowed {Allowance:N0}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long HeldBytes(string events, int lines)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var inputs = SegmentReader.ReadLines(events).Take(lines).Select(l => l.Input!).ToList();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(inputs);
        return after - before;
    }

    [Fact]
    public void Progress_NotATerminal_WritesOnePlainLinePerIntervalAndNothingBeforeTheFirst()
    {
        var time = new FakeTimeProvider();
        var stderr = new StringWriter { NewLine = "\n" };
        var progress = new RunProgress(stderr, terminal: false, totalBytes: 1000, time);

        progress.Phase("simulating");
        time.Advance(TimeSpan.FromSeconds(5));
        progress.Read(100);
        Assert.Equal("", stderr.ToString());

        time.Advance(TimeSpan.FromSeconds(5));
        progress.Read(250);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Read(300);
        progress.End();

        Assert.Equal("journeys: simulating: 8,192 events read (25%), 819 events/s, about 30 s left\n", stderr.ToString());
    }

    [Fact]
    public void Progress_OnATerminal_RewritesOneLiveLineAndErasesItAtTheEnd()
    {
        var time = new FakeTimeProvider();
        var stderr = new StringWriter();
        var progress = new RunProgress(stderr, terminal: true, totalBytes: 1000, time);

        progress.Phase("checking");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Read(500);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Read(1000);
        progress.End();

        Assert.Equal(
            "\rjourneys: checking: 4,096 events read (50%), 4,096 events/s, about 1 s left\u001b[K" +
            "\rjourneys: checking: 8,192 events read (100%), 4,096 events/s, about 0 s left\u001b[K" +
            "\r\u001b[K", stderr.ToString());
        Assert.DoesNotContain('\n', stderr.ToString());
    }
}

/// <summary>The streaming tests measure the process's heap: they run alone.</summary>
[CollectionDefinition(nameof(SimulateStreamingTests), DisableParallelization = true)]
public sealed class SimulateStreamingCollection;
