using System.Globalization;
using System.Text.Json;
using Journeys.Tests.Actions;
using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys report --actions FILE</c>: the run's calls answered from the file as simulate's are, counted per
/// step and journey — <c>called</c> and <c>callsFailed</c> in the JSON and CSV rows (after the contract's columns), a
/// <c>called</c> and a <c>call-fail</c> column in the text table — and a call that gave up is not in <c>failed</c>. Each
/// count is checked against simulate's lines for the same input and actions.</summary>
public sealed class ReportCallsTests : IDisposable
{
    private const string Ticket = """
        journey: ticket
        entry: { on: complaint_filed }
        start: open
        steps:
          open:
            call: { action: crm-ticket }
            then:
              - { on: $done, goto: end }
              - { on: $failed, goto: apologise }
              - { after: 1d, goto: end }
          apologise:
            send: { channel: email, template: ticket/sorry }
        """;

    private readonly SimulationFolder _folder = new(("boost.yaml", CallJourneys.Boost), ("ticket.yaml", Ticket));

    public void Dispose() => _folder.Dispose();

    private (string Events, string Actions) Input() => (
        _folder.Write("events.jsonl",
            """{"type":"track","userId":"c1","event":"order_completed","timestamp":"2026-01-05T10:00:00Z"}""",
            """{"type":"track","userId":"c2","event":"order_completed","timestamp":"2026-01-05T11:00:00Z"}""",
            """{"type":"track","userId":"c3","event":"complaint_filed","timestamp":"2026-01-05T12:00:00Z"}""",
            """{"type":"track","userId":"c1","event":"complaint_filed","timestamp":"2026-01-05T13:00:00Z"}"""),
        _folder.Write("actions.json", """{"loyalty-credit": {"result": {"status": "ok"}}, "crm-ticket": {"failed": "crm down"}}"""));

    [Fact]
    public void Report_Json_CountsCallsAnsweredAndGivenUp_PerStepAndJourney_AsSimulatePrintsThem()
    {
        var (events, actions) = Input();

        var simulate = _folder.Run("simulate", _folder.Journeys, "--events", events, "--actions", actions);
        var report = _folder.Run("report", _folder.Journeys, "--events", events, "--actions", actions, "--format", "json");

        Assert.Equal((0, ""), (simulate.Exit, simulate.Stderr));
        Assert.Equal((0, ""), (report.Exit, report.Stderr));
        var decisions = Lines(simulate.Stdout);
        var rows = Lines(report.Stdout).ToDictionary(r => r["journey"] + "/" + (r["step"] ?? "*"));
        (string?, string?, string?) Calls(string key) => (rows[key]["called"], rows[key]["callsFailed"], rows[key]["failed"]);

        Assert.Equal(("2", "0", "0"), Calls("boost/credit"));
        Assert.Equal(("2", "0", "0"), Calls("boost/*"));
        Assert.Equal(("0", "2", "0"), Calls("ticket/open")); // given up: a call's failure, not a failed send
        Assert.Equal(("0", "2", "0"), Calls("ticket/*"));
        Assert.Equal(("0", "0", "0"), Calls("ticket/apologise"));
        Assert.Equal("2", rows["ticket/apologise"]["sent"]); // the fallback after each failed call

        foreach (var row in rows.Values.Where(r => r["step"] is not null))
        {
            var at = decisions.Where(d => d["journey"] == row["journey"] && d["step"] == row["step"]).ToList();
            Assert.Equal(at.Count(d => d["decision"] == "called").ToString(CultureInfo.InvariantCulture), row["called"]);
            Assert.Equal(at.Count(d => d["decision"] == "failed" && !d.ContainsKey("template") && d.ContainsKey("channel")).ToString(CultureInfo.InvariantCulture), row["callsFailed"]);
            Assert.Equal(at.Count(d => d["decision"] == "failed" && d.ContainsKey("template")).ToString(CultureInfo.InvariantCulture), row["failed"]);
        }

        Assert.Equal(2, decisions.Count(d => d["decision"] == "failed")); // the comparison above compared something
    }

    [Fact]
    public void Report_CsvAndText_CarryTheCallsColumns()
    {
        var (events, actions) = Input();

        var csv = _folder.Run("report", _folder.Journeys, "--events", events, "--actions", actions, "--format", "csv");
        var text = _folder.Run("report", _folder.Journeys, "--events", events, "--actions", actions);

        Assert.Equal((0, ""), (csv.Exit, csv.Stderr));
        Assert.Equal((0, ""), (text.Exit, text.Stderr));
        var lines = csv.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("journey,step,branch,arrived,sent,suppressed,deferred,failed,goal,exited,completed,conversion,lift,liftLow,liftHigh,called,callsFailed", lines[0]);
        Assert.Contains("ticket,open,,2,0,0,0,0,0,0,0,,,,,0,2", lines);
        Assert.Contains("boost,credit,,2,0,0,0,0,0,0,0,,,,,2,0", lines);
        var table = text.Stdout.Split('\n');
        Assert.Contains(table, l => l.Contains("failed    called call-fail", StringComparison.Ordinal));
        var open = Assert.Single(table, l => l.StartsWith("  open ", StringComparison.Ordinal));
        Assert.Equal(["2", "0", "0", "0", "0", "0", "2", "0", "0", "0"], open.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
    }

    [Fact]
    public void Report_ActionsFileMissing_IsWrongUsageAndNothingIsWritten()
    {
        var (events, _) = Input();

        var (exit, stdout, stderr) = _folder.Run("report", _folder.Journeys, "--events", events, "--actions", _folder.PathOf("none.json"));

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Contains("none.json", stderr, StringComparison.Ordinal);
    }

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
