using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Analytics;

namespace Journeys.Cli;

/// <summary><c>journeys report &lt;folder&gt; --events FILE [--until ISO] [--format text|json|csv] [--actions FILE]</c>:
/// simulate's run (the same streamed run, actions answering from <c>--actions</c> as simulate's do), counted per journey,
/// step and split branch by <see cref="JourneyFunnel"/> (the counter the sample and the dashboard use), with each
/// branch's lift against the holdout and its 95% confidence interval (Newcombe's method 10).</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var events = new Option<string>("--events") { Description = "Segment-style JSON lines (track, identify).", Required = true };
        var until = new Option<string?>("--until") { Description = "End of the run (ISO 8601); default: the last event's time." };
        var format = new Option<string>("--format") { Description = "text (default), json or csv.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "csv");
        var actions = SimulateCommand.ActionsOption();
        var command = new Command("report", "Run the journeys over recorded events and count them per journey, step and split branch.")
        {
            folder, events, until, format, actions,
        };
        command.SetAction(parse =>
        {
            var (run, code) = StreamedRun.Check(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr,
                actionsFile: parse.GetValue(actions));
            if (run is null)
            {
                return code;
            }

            var funnel = new JourneyFunnel();
            run.Run(funnel.Add); // counted as released: the run's decisions are never held
            var report = funnel.Report(run.Catalog.Journeys);
            switch (parse.GetValue(format))
            {
                case "json":
                    WriteJson(report, stdout);
                    break;
                case "csv":
                    WriteCsv(report, stdout);
                    break;
                default:
                    WriteText(report, stdout);
                    break;
            }

            stdout.Flush();
            return JourneysCommand.Ok;
        });
        return command;
    }

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object a line: the journey's row (<c>"step":null</c>, with <c>conversion</c>), its steps' rows
    /// (the contract's counts, then <c>called</c> and <c>callsFailed</c>: a step's calls answered and given up, the
    /// latter not in <c>failed</c>), then its split branches' rows (<c>"branch"</c>, <c>conversion</c>, <c>lift</c>, <c>liftLow</c>, <c>liftHigh</c>).</summary>
    internal static void WriteJson(FunnelReport report, TextWriter writer)
    {
        var buffer = new MemoryStream();
        foreach (var (rows, branches) in ByJourney(report))
        {
            foreach (var row in rows)
            {
                Line(buffer, writer, json =>
                {
                    json.WriteString("journey", row.Journey);
                    json.WriteString("step", row.Step);
                    json.WriteNumber("arrived", row.Arrived);
                    json.WriteNumber("sent", row.Sent);
                    json.WriteNumber("suppressed", row.Suppressed);
                    json.WriteNumber("deferred", row.Deferred);
                    json.WriteNumber("failed", row.Failed);
                    json.WriteNumber("goal", row.Goal);
                    json.WriteNumber("exited", row.Exited);
                    json.WriteNumber("completed", row.Completed);
                    json.WriteNumber("called", row.Called);
                    json.WriteNumber("callsFailed", row.CallsFailed);
                    if (row.Step is null)
                    {
                        Number(json, "conversion", row.Conversion);
                    }
                });
            }

            foreach (var b in branches)
            {
                Line(buffer, writer, json =>
                {
                    json.WriteString("journey", b.Journey);
                    json.WriteString("step", b.Step);
                    json.WriteString("branch", b.Branch);
                    json.WriteNumber("arrived", b.Arrived);
                    json.WriteNumber("goal", b.Goal);
                    Number(json, "conversion", b.Conversion);
                    Number(json, "lift", b.Lift);
                    Number(json, "liftLow", b.LiftLow);
                    Number(json, "liftHigh", b.LiftHigh);
                });
            }
        }
    }

    private static void Line(MemoryStream buffer, TextWriter writer, Action<Utf8JsonWriter> body)
    {
        buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        writer.Write('\n');
    }

    /// <summary>A ratio rounded to 6 places (a millionth of a percentage point is below any sample's noise), or null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>RFC 4180 CSV with a header; a branch row leaves the step counts it has no value for empty, a journey's
    /// steps leave the branch columns empty. The calls' columns (<c>called</c>, <c>callsFailed</c>) come last, so the
    /// columns before them keep their places.</summary>
    internal static void WriteCsv(FunnelReport report, TextWriter writer)
    {
        writer.Write("journey,step,branch,arrived,sent,suppressed,deferred,failed,goal,exited,completed,conversion,lift,liftLow,liftHigh,called,callsFailed\n");
        foreach (var (rows, branches) in ByJourney(report))
        {
            foreach (var r in rows)
            {
                writer.Write(Csv(r.Journey, r.Step, null, N(r.Arrived), N(r.Sent), N(r.Suppressed), N(r.Deferred), N(r.Failed), N(r.Goal),
                    N(r.Exited), N(r.Completed), R(r.Conversion), null, null, null, N(r.Called), N(r.CallsFailed)));
            }

            foreach (var b in branches)
            {
                writer.Write(Csv(b.Journey, b.Step, b.Branch, N(b.Arrived), null, null, null, null, N(b.Goal), null, null,
                    R(b.Conversion), R(b.Lift), R(b.LiftLow), R(b.LiftHigh), null, null));
            }
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? R(double? value) => value is { } v ? Math.Round(v, 6).ToString(CultureInfo.InvariantCulture) : null;

    private static string Csv(params string?[] cells) =>
        string.Join(',', cells.Select(c => c is null ? "" : c.IndexOfAny([',', '"', '\n', '\r']) < 0 ? c : $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"")) + "\n";

    /// <summary>A table per journey: its row and its steps' (with the suppressions by reason under a step that has
    /// them; <c>failed</c> without the calls that gave up, which are <c>call-fail</c>), then its splits' branches with conversion and lift.</summary>
    internal static void WriteText(FunnelReport report, TextWriter writer)
    {
        var first = true;
        foreach (var (rows, branches) in ByJourney(report))
        {
            if (!first)
            {
                writer.WriteLine();
            }

            first = false;
            var journey = rows[0];
            writer.WriteLine(SimulationRun.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{journey.Journey}: {journey.Arrived:N0} entered, {journey.Goal:N0} reached the goal ({Percent(journey.Conversion)})")));
            writer.WriteLine($"  {"step",-28}{"arrived",10}{"sent",10}{"suppr.",10}{"deferred",10}{"failed",10}{"called",10}{"call-fail",10}{"goal",10}{"exited",10}{"complete",10}");
            foreach (var r in rows)
            {
                writer.WriteLine(SimulationRun.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.Step ?? "(journey)",-28}{r.Arrived,10:N0}{r.Sent,10:N0}{r.Suppressed,10:N0}{r.Deferred,10:N0}{r.Failed,10:N0}{r.Called,10:N0}{r.CallsFailed,10:N0}{r.Goal,10:N0}{r.Exited,10:N0}{r.Completed,10:N0}")));
                if (r.Step is not null)
                {
                    foreach (var (reason, count) in r.SuppressedBy)
                    {
                        writer.WriteLine(SimulationRun.Escape(string.Create(CultureInfo.InvariantCulture, $"      suppressed {reason}: {count:N0}")));
                    }
                }
            }

            if (branches.Count > 0)
            {
                writer.WriteLine($"  {"split / branch",-28}{"runs",10}{"goal",10}{"conv.",10}   lift against the holdout [95% CI, Newcombe]");
                foreach (var b in branches)
                {
                    var lift = b.IsReference ? "(reference)" : b.Lift is { } l
                        ? string.Create(CultureInfo.InvariantCulture, $"{Points(l)} [{Points(b.LiftLow!.Value)}, {Points(b.LiftHigh!.Value)}]")
                        : "-";
                    writer.WriteLine(SimulationRun.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"  {b.Step + " -> " + b.Branch,-28}{b.Arrived,10:N0}{b.Goal,10:N0}{Percent(b.Conversion),10}   {lift}")));
                }
            }
        }
    }

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A difference of proportions in percentage points, signed: <c>+2.4pp</c>.</summary>
    private static string Points(double difference) => (difference * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "pp";

    /// <summary>The report's rows grouped by journey, in the report's order.</summary>
    private static IEnumerable<(List<FunnelRow> Rows, List<BranchRow> Branches)> ByJourney(FunnelReport report) =>
        report.Rows.GroupBy(r => r.Journey, StringComparer.Ordinal)
            .Select(g => (g.ToList(), report.Branches.Where(b => b.Journey == g.Key).ToList()));
}
