using System.Globalization;
using System.Text.Json;
using Journeys.Analytics;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys report</c>: simulate's run counted per journey, step and split branch. Every count is checked
/// against the JSON lines <c>simulate</c> prints for the same input, counted here independently of the report's code.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "journeys");
    private readonly SimulationFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A few hundred customers over four months: sign-ups, interactions, orders (goals of several journeys),
    /// logins, some unsubscribes, profiles with push turned off and birthdays; enough for value-boost's 90/10 split to
    /// send customers down both branches and for caps to suppress.</summary>
    private string Population(int customers = 400)
    {
        var random = new Random(21);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var lines = new List<(DateTimeOffset At, string Line)>();
        for (var c = 0; c < customers; c++)
        {
            var id = "u" + c.ToString(CultureInfo.InvariantCulture);
            var joined = start.AddMinutes(random.Next(0, 60 * 24 * 30));
            var birthday = new DateTime(1990, 1, 1).AddDays(random.Next(0, 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var push = random.Next(4) != 0 ? "true" : "false";
            lines.Add((joined.AddMinutes(-1), $$$"""{"type":"identify","userId":"{{{id}}}","timestamp":"{{{Sim.At(joined.AddMinutes(-1))}}}","traits":{"birthday":"{{{birthday}}}","pushOptIn":{{{push}}}}}"""));
            lines.Add((joined, $$"""{"type":"track","userId":"{{id}}","event":"signed_up","timestamp":"{{Sim.At(joined)}}"}"""));
            var active = random.Next(3) != 0;
            for (var e = 0; e < (active ? 14 : 2); e++)
            {
                var at = joined.AddMinutes(random.Next(0, 60 * 24 * 110));
                var type = random.Next(10) switch { < 5 => "interaction", < 7 => "order_completed", < 9 => "login", _ => "consult_completed" };
                lines.Add((at, $$"""{"type":"track","userId":"{{id}}","event":"{{type}}","timestamp":"{{Sim.At(at)}}"}"""));
            }

            if (random.Next(15) == 0)
            {
                var at = joined.AddMinutes(random.Next(0, 60 * 24 * 100));
                lines.Add((at, $$"""{"type":"track","userId":"{{id}}","event":"unsubscribed","timestamp":"{{Sim.At(at)}}"}"""));
            }
        }

        return _folder.Write("events.jsonl", [.. lines.OrderBy(l => l.At).Select(l => l.Line)]);
    }

    private const string Until = "2026-06-30T00:00:00Z";

    [Fact]
    public void Report_Json_EveryCountEqualsWhatSimulatePrintsForTheSameInput()
    {
        var events = Population();
        var simulate = _folder.Run("simulate", Samples, "--events", events, "--until", Until);
        var report = _folder.Run("report", Samples, "--events", events, "--until", Until, "--format", "json");
        Assert.Equal((0, ""), (simulate.Exit, simulate.Stderr));
        Assert.Equal((0, ""), (report.Exit, report.Stderr));

        var decisions = Lines(simulate.Stdout);
        var rows = Lines(report.Stdout);
        var steps = rows.Where(r => !r.ContainsKey("branch") && r["step"] is not null).ToList();
        var journeys = rows.Where(r => r["step"] is null).ToList();
        Assert.Equal(9, journeys.Count);
        foreach (var row in steps)
        {
            var at = decisions.Where(d => d["journey"] == row["journey"] && d["step"] == row["step"]).ToList();
            int Count(string kind) => at.Count(d => d["decision"] == kind);
            var expected = new Dictionary<string, long>
            {
                ["arrived"] = Count("entered") + Count("moved"),
                ["sent"] = Count("sent"),
                ["suppressed"] = Count("suppressed"),
                ["deferred"] = Count("deferred"),
                ["failed"] = at.Count(d => d["decision"] == "failed" && (d.ContainsKey("template") || !d.ContainsKey("channel"))), // not a call's
                ["called"] = Count("called"),
                ["callsFailed"] = at.Count(d => d["decision"] == "failed" && d.ContainsKey("channel") && !d.ContainsKey("template")),
                ["goal"] = Count("goal"),
                ["exited"] = at.Count(d => d["decision"] == "exited" && !d.GetValueOrDefault("reason", "")!.StartsWith("goal:", StringComparison.Ordinal)),
                ["completed"] = Count("completed"),
            };
            Assert.Equal(expected, expected.Keys.ToDictionary(k => k, k => long.Parse(row[k]!, CultureInfo.InvariantCulture)));
        }

        foreach (var row in journeys)
        {
            var mine = decisions.Where(d => d["journey"] == row["journey"]).ToList();
            var entries = mine.Count(d => d["decision"] == "entered");
            var goals = mine.Count(d => d["decision"] == "goal");
            Assert.Equal(entries.ToString(CultureInfo.InvariantCulture), row["arrived"]);
            Assert.Equal(goals.ToString(CultureInfo.InvariantCulture), row["goal"]);
            Assert.Equal(mine.Count(d => d["decision"] == "sent").ToString(CultureInfo.InvariantCulture), row["sent"]);
            Assert.Equal(entries == 0 ? null : Math.Round((double)goals / entries, 6).ToString(CultureInfo.InvariantCulture), row["conversion"]);
        }

        // The run decided plenty of everything, so the comparison above compared something.
        Assert.All(new[] { "entered", "moved", "sent", "suppressed", "goal", "exited", "completed" },
            kind => Assert.True(decisions.Count(d => d["decision"] == kind) > 5, $"the population should give '{kind}' decisions"));
    }

    [Fact]
    public void Report_Json_SplitBranchesCountTheRunsThatTookThemAndTheirGoals_WithLiftAgainstTheHoldout()
    {
        var events = Population();
        var decisions = Lines(_folder.Run("simulate", Samples, "--events", events, "--until", Until).Stdout);
        var branches = Lines(_folder.Run("report", Samples, "--events", events, "--until", Until, "--format", "json").Stdout)
            .Where(r => r.ContainsKey("branch")).ToList();

        // Independently of the report: per customer, the branch of value-boost's current run, and whether it converted.
        var runs = new Dictionary<string, string>();
        var taken = new Dictionary<string, (int Runs, int Goals)> { ["recommend"] = (0, 0), ["holdout"] = (0, 0) };
        foreach (var d in decisions.Where(d => d["journey"] == "value-boost"))
        {
            var user = d["userId"]!;
            if (d["decision"] == "moved" && d["from"] == "assign")
            {
                runs[user] = d["step"]!;
                taken[d["step"]!] = (taken[d["step"]!].Runs + 1, taken[d["step"]!].Goals);
            }
            else if (d["decision"] == "goal" && runs.Remove(user, out var branch))
            {
                taken[branch] = (taken[branch].Runs, taken[branch].Goals + 1);
            }
            else if (d["decision"] is "entered" or "exited" or "completed")
            {
                runs.Remove(user);
            }
        }

        Assert.Equal(["recommend", "holdout"], branches.Select(b => b["branch"]));
        Assert.All(branches, b => Assert.Equal(("value-boost", "assign"), (b["journey"], b["step"])));
        var (treated, holdout) = (taken["recommend"], taken["holdout"]);
        Assert.True(holdout.Runs > 0 && treated.Runs > 5 * holdout.Runs, $"a 90/10 split: {treated.Runs} and {holdout.Runs} runs");
        Assert.Equal([treated.Runs.ToString(CultureInfo.InvariantCulture), holdout.Runs.ToString(CultureInfo.InvariantCulture)], branches.Select(b => b["arrived"]));
        Assert.Equal([treated.Goals.ToString(CultureInfo.InvariantCulture), holdout.Goals.ToString(CultureInfo.InvariantCulture)], branches.Select(b => b["goal"]));

        var (difference, low, high) = ProportionDifference.Newcombe(treated.Goals, treated.Runs, holdout.Goals, holdout.Runs);
        Assert.Equal(R(difference), branches[0]["lift"]);
        Assert.Equal(R(low), branches[0]["liftLow"]);
        Assert.Equal(R(high), branches[0]["liftHigh"]);
        Assert.Equal(R((double)treated.Goals / treated.Runs), branches[0]["conversion"]);
        Assert.True(branches[1] is { } reference && reference["lift"] is null && reference["liftLow"] is null && reference["liftHigh"] is null,
            "the holdout is the reference: no lift of its own");
    }

    [Fact]
    public void Report_Csv_HasTheHeaderAndTheSameRowsAsJson()
    {
        var events = Population(60);
        var json = Lines(_folder.Run("report", Samples, "--events", events, "--until", Until, "--format", "json").Stdout);
        var (exit, csv, _) = _folder.Run("report", Samples, "--events", events, "--until", Until, "--format", "csv");

        Assert.Equal(0, exit);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("journey,step,branch,arrived,sent,suppressed,deferred,failed,goal,exited,completed,conversion,lift,liftLow,liftHigh,called,callsFailed", lines[0]);
        Assert.Equal(json.Count, lines.Length - 1);
        var header = lines[0].Split(',');
        for (var i = 0; i < json.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            foreach (var (name, value) in json[i])
            {
                Assert.Equal(value ?? "", cells[Array.IndexOf(header, name)]);
            }
        }
    }

    [Fact]
    public void Report_Text_IsATablePerJourneyWithItsStepsAndTheSplitsLift()
    {
        var events = Population(60);

        var (exit, text, stderr) = _folder.Run("report", Samples, "--events", events, "--until", Until);

        Assert.Equal((0, ""), (exit, stderr));
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("value-boost: ", StringComparison.Ordinal) && l.Contains(" entered, ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  recommend ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  assign -> holdout ", StringComparison.Ordinal) && l.EndsWith("(reference)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("lift against the holdout [95% CI, Newcombe]", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_BadEventLine_IsReportedWithItsLineAndNothingIsCounted()
    {
        var events = _folder.Write("events.jsonl", """{"type":"track","userId":"c1","event":"signed_up","timestamp":"soon"}""");

        var (exit, stdout, stderr) = _folder.Run("report", Samples, "--events", events, "--format", "json");

        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith($"{events}:1:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_UnknownFormat_IsWrongUsage()
    {
        var events = Population(5);

        var (exit, stdout, stderr) = _folder.Run("report", Samples, "--events", events, "--format", "xml");

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
    }

    private static string R(double value) => Math.Round(value, 6).ToString(CultureInfo.InvariantCulture);

    /// <summary>Each JSON line as names to values (numbers and strings as their text, null as null).</summary>
    private static List<Dictionary<string, string?>> Lines(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            });
        }).ToList();
}
