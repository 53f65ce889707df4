using System.Text.Json;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys simulate &lt;folder&gt; --events FILE [--until ISO] [--out FILE]</c>: one JSON object per decision in
/// time order, the same bytes on every run, and every bad event line reported before anything is written.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly SimulationFolder _folder = new(("nurture.yaml", SpecJourneys.Nurture));

    /// <summary>c1 opens the app, completes the consult early and reaches the survey by the tips timer; c2 is a test
    /// account, refused by the entry guard.</summary>
    private static readonly string[] Events =
    [
        """{"type":"identify","userId":"c2","timestamp":"2026-01-05T09:00:00Z","traits":{"country":"test"}}""",
        """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c2","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"app_open","timestamp":"2026-01-10T12:00:00Z","properties":{"screen":"home"}}""",
        """{"type":"track","userId":"c1","event":"consult_completed","timestamp":"2026-01-14T08:30:00Z"}""",
    ];

    private static readonly string[] ExpectedUntilMarch =
    [
        """{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"guide","decision":"entered","reason":"on signed_up"}""",
        """{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"guide","decision":"sent","channel":"push","template":"nurture/guide"}""",
        """{"timestamp":"2026-01-12T10:00:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"consult","decision":"moved","reason":"after 7d","from":"guide"}""",
        """{"timestamp":"2026-01-12T10:00:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"consult","decision":"sent","channel":"agent-task","template":"nurture/consult-call"}""",
        """{"timestamp":"2026-01-14T08:30:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"tips","decision":"moved","reason":"on consult_completed","from":"consult"}""",
        """{"timestamp":"2026-02-13T08:30:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"survey","decision":"moved","reason":"after 30d","from":"tips"}""",
        """{"timestamp":"2026-02-13T08:30:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"survey","decision":"sent","channel":"email","template":"nurture/survey"}""",
        """{"timestamp":"2026-02-13T08:30:00Z","userId":"c1","journey":"new-customer-nurture","version":1,"step":"survey","decision":"completed"}""",
    ];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Simulate_SmallEventsFile_PrintsEveryDecisionAsOneJsonLineInTimeOrder()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-03-01T00:00:00Z");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(string.Join("\n", ExpectedUntilMarch) + "\n", stdout);
    }

    [Fact]
    public void Simulate_EveryLine_IsAJsonObjectWithTheFieldsInTheDocumentedOrder()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (_, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-03-01T00:00:00Z");

        var order = new[] { "timestamp", "userId", "journey", "version", "step", "decision", "channel", "template", "reason", "from" };
        Assert.All(stdout.TrimEnd('\n').Split('\n'), line =>
        {
            using var json = JsonDocument.Parse(line);
            var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(order.Where(names.Contains), names);
            Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("version").ValueKind);
        });
    }

    [Fact]
    public void Simulate_EventsOutOfOrderInTheFile_AreRunInTimestampOrder()
    {
        var events = _folder.Write("events.jsonl", Events.Reverse().ToArray());

        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-03-01T00:00:00Z");

        Assert.Equal(0, exit);
        Assert.Equal(string.Join("\n", ExpectedUntilMarch) + "\n", stdout);
    }

    [Fact]
    public void Simulate_TwoRunsOverManyCustomers_PrintIdenticalBytes()
    {
        var lines = new List<string>();
        var events = new[] { "signed_up", "app_open", "consult_completed", "order_completed", "unsubscribed" };
        var random = new Random(5);
        for (var i = 0; i < 300; i++)
        {
            var at = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 60 * 24 * 40));
            lines.Add($$"""{"type":"track","userId":"u{{random.Next(60)}}","event":"{{events[random.Next(events.Length)]}}","timestamp":"{{Sim.At(at)}}"}""");
        }

        var file = _folder.Write("events.jsonl", [.. lines]);

        var first = _folder.Run("simulate", _folder.Journeys, "--events", file, "--until", "2026-06-01T00:00:00Z", "--out", _folder.PathOf("run1.jsonl"));
        var second = _folder.Run("simulate", _folder.Journeys, "--events", file, "--until", "2026-06-01T00:00:00Z", "--out", _folder.PathOf("run2.jsonl"));

        Assert.Equal((0, 0), (first.Exit, second.Exit));
        var bytes = File.ReadAllBytes(_folder.PathOf("run1.jsonl"));
        Assert.True(bytes.Length > 10_000, $"the run should decide plenty; it wrote {bytes.Length} bytes");
        Assert.Equal(bytes, File.ReadAllBytes(_folder.PathOf("run2.jsonl")));
    }

    [Fact]
    public void Simulate_UntilOneSecondBeforeATimer_LeavesThatTimerUnfired()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-01-12T09:59:59Z");

        Assert.Equal(0, exit);
        Assert.Equal(string.Join("\n", ExpectedUntilMarch[..2]) + "\n", stdout);
    }

    [Fact]
    public void Simulate_UntilExactlyATimersDueTime_FiresIt()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-01-12T10:00:00Z");

        Assert.Equal(0, exit);
        Assert.Equal(string.Join("\n", ExpectedUntilMarch[..4]) + "\n", stdout);
    }

    [Fact]
    public void Simulate_UntilBeforeLaterEvents_IgnoresThem()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (_, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-01-13T00:00:00Z");

        Assert.DoesNotContain("consult_completed", stdout, StringComparison.Ordinal);
        Assert.Equal(4, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Simulate_NoUntil_EndsAtTheLastEventsTime()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal(0, exit);
        Assert.Equal(string.Join("\n", ExpectedUntilMarch[..5]) + "\n", stdout);
    }

    [Fact]
    public void Simulate_Out_WritesTheDecisionsToTheFileAndNothingToStdout()
    {
        var events = _folder.Write("events.jsonl", Events);
        var output = _folder.PathOf("decisions.jsonl");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-03-01T00:00:00Z", "--out", output);

        Assert.Equal((0, "", ""), (exit, stdout, stderr));
        Assert.Equal(string.Join("\n", ExpectedUntilMarch) + "\n", File.ReadAllText(output));
    }

    [Fact]
    public void Simulate_BadEventLines_ReportsEveryOneWithItsLineNumberAndWritesNoDecision()
    {
        var events = _folder.Write("events.jsonl",
            Events[1],
            """{"type":"track","userId":"c1","event":"signed_up",""",
            """{"type":"track","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
            """{"type":"page","userId":"c1","timestamp":"2026-01-05T10:00:00Z"}""",
            """{"type":"track","userId":"c1","event":"app_open","timestamp":"next tuesday"}""",
            """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"timeZone":"Mars/Olympus"}}""",
            Events[4]);
        var output = _folder.PathOf("decisions.jsonl");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", output);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(output), "nothing may be written when the events file has bad lines");
        var errors = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(5, errors.Length);
        Assert.StartsWith($"{events}:2:50: not valid JSON: ", errors[0], StringComparison.Ordinal);
        Assert.Equal(
        [
            $"{events}:3:1: missing \"userId\"",
            $"{events}:4:9: \"type\" 'page' is not supported (track or identify)",
            $"{events}:5:62: \"timestamp\" 'next tuesday' is not an ISO 8601 timestamp",
            $"{events}:6:90: \"timeZone\" 'Mars/Olympus' is not a known IANA time zone (such as Asia/Shanghai)",
        ], errors[1..]);
    }

    [Theory]
    [InlineData("01/05/2026 10:00:00")]
    [InlineData("Jan 5, 2026 10:00")]
    [InlineData("2026-01-05T25:00:00Z")]
    [InlineData("2026-02-30T10:00:00Z")]
    public void Simulate_TimestampNotInIso8601Form_IsReportedNotGuessed(string timestamp)
    {
        var events = _folder.Write("events.jsonl", $$"""{"type":"track","userId":"c1","event":"signed_up","timestamp":"{{timestamp}}"}""");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, "", $"{events}:1:63: \"timestamp\" '{timestamp}' is not an ISO 8601 timestamp\n"), (exit, stdout, stderr));
    }

    [Theory]
    [InlineData("2026-01-05T10:00:00")]
    [InlineData("2026-01-05T10:00")]
    [InlineData("2026-01-05")]
    public void Simulate_TimestampWithoutOffset_IsRefusedWithTheFormExpectedNotTakenAsUtc(string timestamp)
    {
        var events = _folder.Write("events.jsonl", $$"""{"type":"track","userId":"c1","event":"signed_up","timestamp":"{{timestamp}}"}""");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, ""), (exit, stdout));
        Assert.Equal($"{events}:1:63: \"timestamp\" '{timestamp}' has no UTC offset: write ISO 8601 with a UTC offset, " +
                     "such as 2026-01-05T10:00:00Z or 2026-01-05T18:00:00+08:00\n", stderr);
    }

    [Theory]
    [InlineData("""{"type":"track","userId":42,"event":"x","timestamp":"2026-01-05T10:00:00Z"}""", "1:26: \"userId\" must be a string, not the number 42")]
    [InlineData("""{"type":"track","userId":"c1","event":"x","timestamp":42}""", "1:55: \"timestamp\" must be a string, not the number 42")]
    [InlineData("""{"type":"track","userId":"c1","event":["x"],"timestamp":"2026-01-05T10:00:00Z"}""", "1:39: \"event\" must be a string, not an array")]
    [InlineData("""{"type":true,"userId":"c1","event":"x","timestamp":"2026-01-05T10:00:00Z"}""", "1:9: \"type\" must be a string, not true")]
    [InlineData("""{"type":"track","userId":null,"event":"x","timestamp":"2026-01-05T10:00:00Z"}""", "1:26: missing \"userId\"")]
    [InlineData("""{"type":"track","userId":"c1","event":"x","timestamp":"2026-01-05T10:00:00Z","properties":"p"}""", "1:91: \"properties\" must be an object, not a string")]
    public void Simulate_FieldOfTheWrongType_SaysWhatItGotAtTheColumnOfItsValue(string line, string expected)
    {
        var events = _folder.Write("events.jsonl", line);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, "", $"{events}:{expected}\n"), (exit, stdout, stderr));
    }

    [Theory]
    [InlineData("""{"type":"track","userId":"c1","event":"x",,"timestamp":"2026-01-05T10:00:00Z"}""", 43)]
    [InlineData("""{"type":"track","userId":"客户-😀","event":"x",,"timestamp":"2026-01-05T10:00:00Z"}""", 46)]
    [InlineData("""{"type":"track","userId":"c1","event":"x\q"}""", 42)]
    [InlineData("""{"type":"track","userId":"c1" """, 31)]
    public void Simulate_JsonSyntaxError_IsReportedAtItsCharacterColumnNotItsByteOffset(string line, int column)
    {
        var events = _folder.Write("events.jsonl", line);

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal(1, exit);
        Assert.StartsWith($"{events}:1:{column}: not valid JSON: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BadLineQuotingAControlCharacter_IsStillOneErrorLineWithTheCharacterEscaped()
    {
        var events = _folder.Write("events.jsonl", """{"type":"pa\nge\u0007","userId":"c1","timestamp":"2026-01-05T10:00:00Z"}""");

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, $"{events}:1:9: \"type\" 'pa\\nge\\u0007' is not supported (track or identify)\n"), (exit, stderr));
    }

    [Theory]
    [InlineData("2026-01-05T11:00:00+01:00")]
    [InlineData("2026-01-05T05:00:00-05:00")]
    [InlineData("2026-01-05T10:00:00.000Z")]
    [InlineData("2026-01-05T10:00Z")]
    public void Simulate_Iso8601TimestampWithAnyOffset_IsPrintedInUtc(string timestamp)
    {
        var events = _folder.Write("events.jsonl", $$"""{"type":"track","userId":"c1","event":"signed_up","timestamp":"{{timestamp}}"}""");

        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((0, string.Join("\n", ExpectedUntilMarch[..2]) + "\n"), (exit, stdout));
    }

    [Fact]
    public void Simulate_BadEventLinesWithoutOut_PrintsNothingToStdout()
    {
        var events = _folder.Write("events.jsonl", Events[1], "not json at all");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith($"{events}:2:2: not valid JSON: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BlankLines_AreSkippedAndLaterLinesKeepTheirNumbers()
    {
        var events = _folder.Write("events.jsonl", Events[1], "", "   ", """{"type":"track","userId":"","event":"x","timestamp":"2026-01-05T10:00:00Z"}""");

        var (exit, _, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, $"{events}:4:26: \"userId\" must not be empty\n"), (exit, stderr));
    }

    [Fact]
    public void Simulate_UntilNotATimestamp_IsAUsageError()
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "soon");

        Assert.Equal((2, "", "journeys: --until 'soon' is not an ISO 8601 timestamp\n"), (exit, stdout, stderr));
    }

    [Theory]
    [InlineData("2026-03-01T00:00:00")]
    [InlineData("2026-03-01")]
    public void Simulate_UntilWithoutOffset_IsAUsageErrorThatShowsTheFormExpected(string until)
    {
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", until);

        Assert.Equal((2, "", $"journeys: --until '{until}' has no UTC offset: write ISO 8601 with a UTC offset, " +
                             "such as 2026-01-05T10:00:00Z or 2026-01-05T18:00:00+08:00\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Simulate_MissingEventsFile_ExitsWith1AndSaysWhich()
    {
        var missing = _folder.PathOf("nope.jsonl");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", missing);

        Assert.Equal((1, "", $"journeys: events file '{missing}' does not exist\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Simulate_EventsIsAFolder_SaysItIsAFolderAndExits1()
    {
        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", _folder.Journeys);

        Assert.Equal((1, "", $"journeys: events file '{_folder.Journeys}' is a folder, not a file: give the JSON lines file itself\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Simulate_OutNamingTheEventsFile_IsRefusedAsWrongUsageAndLeavesTheFileAlone()
    {
        var events = _folder.Write("events.jsonl", Events);
        var same = Path.Combine(Path.GetDirectoryName(events)!, ".", Path.GetFileName(events));

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", same);

        Assert.Equal((2, "", $"journeys: --out '{same}' is the events file: writing the decisions would overwrite it\n"), (exit, stdout, stderr));
        Assert.Equal(string.Join("\n", Events) + "\n", File.ReadAllText(events).Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Simulate_OutDash_WritesToStdoutNotToAFileNamedDash()
    {
        var events = _folder.Write("events.jsonl", Events);
        var dash = Path.Combine(Environment.CurrentDirectory, "-");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--until", "2026-03-01T00:00:00Z", "--out", "-");

        Assert.Equal((0, string.Join("\n", ExpectedUntilMarch) + "\n", ""), (exit, stdout, stderr));
        Assert.False(File.Exists(dash), "'-' means stdout");
    }

    [Fact]
    public void Simulate_FolderWithAJourneyError_PrintsTheDiagnosticAndNoDecision()
    {
        File.WriteAllText(Path.Combine(_folder.Journeys, "broken.yaml"), "journey: broken\nversion: 1\nentry: { on: x }\nstart: nowhere\nsteps:\n  a:\n");
        var events = _folder.Write("events.jsonl", Events);

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events);

        Assert.Equal((1, ""), (exit, stdout));
        Assert.Contains("broken.yaml:4:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_NoEventsOption_IsAUsageError()
    {
        var (exit, stdout, _) = _folder.Run("simulate", _folder.Journeys);

        Assert.Equal((2, ""), (exit, stdout));
    }

    [Fact]
    public void Simulate_OutIntoAFolderThatDoesNotExist_IsAnErrorNotACrash()
    {
        var events = _folder.Write("events.jsonl", Events);
        var missing = Path.Combine(Path.GetTempPath(), $"journeys-no-such-{Guid.NewGuid():N}", "out.jsonl");

        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", events, "--out", missing);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("journeys: ", line, StringComparison.Ordinal);
        Assert.Contains("out.jsonl", line, StringComparison.Ordinal);
    }
}
