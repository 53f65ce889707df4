using System.Globalization;
using Journeys.Channels;
using Journeys.Language.Loading;
using Journeys.Sample;
using Journeys.Tests.Channels;
using SampleProgram = Journeys.Sample.Program;

namespace Journeys.Tests.Samples;

/// <summary>The main sample (samples/Journeys.Sample) as its command runs it, over a small population: its period holds
/// every journey of samples/journeys — the Spring Festival, the quarterly surveys and the Mid-Autumn festival included —
/// so each shows entries and sends in the table, the journeys with a goal show conversions, the feedback SLA shows its
/// escalations; and two runs print the same tables.</summary>
public sealed class MainSampleTests
{
    private const int Customers = 600;

    private static string SampleJourneys => Path.Combine(AppContext.BaseDirectory, "samples", "journeys");

    [Fact]
    public async Task EveryJourneyShowsRealNumbers_AndTwoRunsPrintTheSameTables()
    {
        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first.Tables, second.Tables);
        Assert.Contains($"{Customers:N0} customers, 39 weeks from 2026-01-05 to 2026-10-05", first.Output, StringComparison.Ordinal);
        var rows = Rows(first.Output);
        var journeys = JourneyLoader.LoadFolder(SampleJourneys).ThrowIfInvalid().Journeys;
        Assert.Equal(9, journeys.Count); // the brief's list: a journey added to samples/journeys is checked here as well
        foreach (var journey in journeys)
        {
            var row = rows[journey.Id];
            Assert.True(row["arrived"] > 0, $"{journey.Id}: no entries in the sample's period");
            Assert.True(row["sent"] > 0, $"{journey.Id}: nothing sent in the sample's period");
            if (journey.Goal is not null)
            {
                Assert.True(row["goal"] > 0, $"{journey.Id}: no conversion in the sample's period");
            }
        }

        // Every generated customer browses (page views) from the first day, before signing up: the engine knows them all
        // by either festival, and each greeting enters all but those who unsubscribed by then.
        Assert.InRange(rows["mid-autumn"]["arrived"], Customers * 9 / 10, Customers);
        Assert.InRange(rows["spring-festival"]["arrived"], Customers * 9 / 10, Customers);
        Assert.True(rows["feedback/answer-late"]["arrived"] > 0, "feedback: no ticket escalated after 48 hours");
        Assert.True(rows["feedback/outcome-late"]["arrived"] > 0, "feedback: no ticket handed to a supervisor after 7 working days");
        Assert.True(rows["membership-renewal"]["goal"] > 0);
    }

    /// <summary>A real adapter named by <c>--channels</c> runs on the delivery clock (real time), as the engine's
    /// deliveries do, not on the sample's fake clock: a signed webhook's timestamp is the moment of the attempt. (On the
    /// fake clock it was a day of 2026 the simulation had reached, which a receiver checking freshness refuses.)</summary>
    [Fact]
    public async Task ChannelsFile_RealAdaptersRunOnTheDeliveryClock()
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("journeys-main-sample-").FullName, "channels.json");
        await File.WriteAllTextAsync(file, $$"""
            { "push": { "adapter": "webhook", "Url": "{{receiver.Url}}", "Secret": "sample-secret-0123456789" } }
            """);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var code = await SampleProgram.RunAsync(["40", SampleJourneys, "--channels", file], output, TextWriter.Null, plainProgress: true)
            .WaitAsync(TimeSpan.FromMinutes(3));

        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(0, code);
        var received = receiver.Received;
        Assert.NotEmpty(received); // the push messages went to the webhook
        Assert.All(received, r => Assert.InRange(long.Parse(r.Header(WebhookSignature.TimestampHeader)!, CultureInfo.InvariantCulture), before - 1, after + 1));
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    private static async Task<(string Output, string Tables)> RunAsync()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var progress = new StringWriter(CultureInfo.InvariantCulture);
        var code = await SampleProgram.RunAsync([Customers.ToString(CultureInfo.InvariantCulture), SampleJourneys], output, progress, plainProgress: true);
        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("week 39/39", progress.ToString(), StringComparison.Ordinal);
        // The tables: everything after the run's timing line (which differs from run to run).
        return (text, text[text.IndexOf('\n', text.IndexOf("  done:", StringComparison.Ordinal))..]);
    }

    /// <summary>The journey table's rows by journey id and by "journey/step", each column by its header's name.</summary>
    private static Dictionary<string, Dictionary<string, long>> Rows(string output)
    {
        var lines = output.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("journey / step", StringComparison.Ordinal));
        var columns = lines[header]["journey / step".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var journey = "";
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.Length > 0 && !l.Contains(" split at ", StringComparison.Ordinal)))
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = parts[^columns.Length..].Select(v => long.Parse(v, NumberStyles.AllowThousands, CultureInfo.CurrentCulture)).ToArray();
            var name = string.Join(' ', parts[..^columns.Length]);
            var key = line.StartsWith("  ", StringComparison.Ordinal) ? $"{journey}/{name}" : journey = name;
            rows[key] = columns.Zip(values).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal);
        }

        return rows;
    }
}
