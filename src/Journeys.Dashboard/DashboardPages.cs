using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Journeys.Analytics;
using Journeys.Decisions;
using Journeys.Engine;
using Journeys.Inspection;
using Journeys.Language.Graph;

namespace Journeys.Dashboard;

/// <summary>The dashboard's pages, rendered on the server as plain HTML (every value from the catalog, the customers or
/// the decisions HTML-encoded). The only scripts are the embedded mermaid.min.js and a few lines that refresh the
/// journeys page's counts.</summary>
internal static class DashboardPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static string E(string? text) => Html.Encode(text ?? "");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string T(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>What a control's form carries: the antiforgery token and the name of its form field.</summary>
    public sealed record Form(string FieldName, string Token);

    private static string Layout(string title, string pageTitle, string basePath, string body, string? scripts = null) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(pageTitle)}} · {{E(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
        header { background: #1d2330; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.5rem; align-items: baseline; }
        header a { color: #cfe0ff; text-decoration: none; } header strong { font-size: 1.1rem; }
        main { padding: 1rem 1.2rem; }
        table { border-collapse: collapse; background: #fff; margin: .5rem 0 1.2rem; }
        th, td { border: 1px solid #d9dde3; padding: .3rem .6rem; text-align: right; }
        th:first-child, td:first-child, td.text { text-align: left; }
        th { background: #eef1f5; }
        .paused { color: #a4400b; font-weight: 600; } .running { color: #1f7a35; }
        .graph { background: #fff; border: 1px solid #d9dde3; padding: .5rem; overflow: auto; }
        form.inline { display: inline; } button { padding: .25rem .8rem; }
        .muted { color: #667085; font-size: .9rem; }
        .columns { display: flex; gap: 1.5rem; align-items: flex-start; flex-wrap: wrap; }
        .columns > section { min-width: 0; } .graph-col { flex: 1 1 22rem; max-width: 40rem; } .funnel-col { flex: 3 1 36rem; }
        </style>
        </head>
        <body>
        <header><strong>{{E(title)}}</strong><a href="{{E(basePath)}}/">Journeys</a><a href="{{E(basePath)}}/customers">Customers</a></header>
        <main>
        {{body}}
        </main>
        {{scripts}}
        </body>
        </html>
        """;

    /// <summary>The journeys with their counts since the dashboard started, refreshed every few seconds.</summary>
    public static string Journeys(JourneysDashboardOptions options, string basePath, JourneyEngine engine, FunnelReport report, Form? form)
    {
        var body = new StringBuilder();
        body.Append("<h1>Journeys</h1><p class=\"muted\">Counts of decisions since the dashboard started; refreshed every ")
            .Append(options.RefreshSeconds.ToString(CultureInfo.InvariantCulture)).Append(" s.</p>");
        body.Append("<table id=\"journeys\"><thead><tr><th>Journey</th><th>Version</th><th>State</th><th>Entered</th><th>Sent</th>")
            .Append("<th>Suppressed</th><th>Called</th><th>Goal</th><th>Exited</th><th>Completed</th>").Append(form is null ? "" : "<th>Control</th>")
            .Append("</tr></thead><tbody>");
        var paused = engine.PausedJourneys;
        foreach (var journey in Current(engine))
        {
            var c = Counts.Of(journey.Id, report, paused);
            var id = E(journey.Id);
            body.Append(CultureInfo.InvariantCulture, $"<tr data-journey=\"{id}\"><td><a href=\"{E(basePath)}/journeys/{Uri.EscapeDataString(journey.Id)}\">{id}</a></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{journey.Version}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"text {(c.Paused ? "paused" : "running")}\" data-count=\"state\">{(c.Paused ? "paused" : "running")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-count=\"entered\">{N(c.Entered)}</td><td data-count=\"sent\">{N(c.Sent)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-count=\"suppressed\">{N(c.Suppressed)}</td><td data-count=\"called\">{N(c.Called)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-count=\"goal\">{N(c.Goal)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-count=\"exited\">{N(c.Exited)}</td><td data-count=\"completed\">{N(c.Completed)}</td>");
            if (form is not null)
            {
                body.Append("<td class=\"text\">").Append(Control(basePath, journey.Id, c.Paused, form)).Append("</td>");
            }

            body.Append("</tr>");
        }

        body.Append("</tbody></table>");
        var script = $$"""
            <script>
            (function () {
              const url = {{JsonString(basePath + "/api/counts")}};
              async function refresh() {
                try {
                  const response = await fetch(url, { headers: { "Accept": "application/json" } });
                  if (!response.ok) return;
                  for (const row of await response.json()) {
                    const tr = document.querySelector('tr[data-journey="' + CSS.escape(row.journey) + '"]');
                    if (!tr) continue;
                    for (const key of ["entered", "sent", "suppressed", "called", "goal", "exited", "completed"]) {
                      tr.querySelector('[data-count="' + key + '"]').textContent = row[key].toLocaleString("en-US");
                    }
                    const state = tr.querySelector('[data-count="state"]');
                    state.textContent = row.paused ? "paused" : "running";
                    state.className = "text " + (row.paused ? "paused" : "running");
                  }
                } catch (e) { /* the next refresh tries again */ }
              }
              setInterval(refresh, {{options.RefreshSeconds * 1000}});
            })();
            </script>
            """;
        return Layout(options.Title, "Journeys", basePath, body.ToString(), script);
    }

    /// <summary>One journey: its state, its graph (Mermaid, drawn in the page), the funnel per step with suppression
    /// reasons, and split branches with lift.</summary>
    public static string Journey(JourneysDashboardOptions options, string basePath, JourneyEngine engine, JourneyInfo journey, FunnelReport report, Form? form)
    {
        var paused = engine.PausedJourneys.Contains(journey.Id, StringComparer.Ordinal);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(journey.Id)} <span class=\"muted\">version {journey.Version}</span></h1>");
        if (journey.Description is { } description)
        {
            body.Append("<p>").Append(E(description)).Append("</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>State: <span id=\"state\" class=\"{(paused ? "paused" : "running")}\">{(paused ? "paused: new entries are refused" : "running")}</span> ");
        if (form is not null)
        {
            body.Append(Control(basePath, journey.Id, paused, form));
        }

        body.Append("</p><div class=\"columns\"><section class=\"graph-col\"><h2>Graph</h2><div class=\"graph\"><pre class=\"mermaid\" id=\"graph\">")
            .Append(E(JourneyGraph.ToMermaid(journey))).Append("</pre></div></section><section class=\"funnel-col\">");
        body.Append("<h2>Funnel</h2><p class=\"muted\">Counts of decisions since the dashboard started. Arrived on the journey's row counts entries. ")
            .Append("Called counts calls an action answered; Calls failed the calls that gave up, which Failed does not count.</p>")
            .Append("<table id=\"funnel\"><thead><tr><th>Step</th><th>Arrived</th><th>Sent</th><th>Suppressed</th><th>Suppressed by</th><th>Deferred</th>")
            .Append("<th>Failed</th><th>Called</th><th>Calls failed</th><th>Goal</th><th>Exited</th><th>Completed</th><th>Conversion</th></tr></thead><tbody>");
        foreach (var row in report.Rows.Where(r => r.Journey == journey.Id))
        {
            var why = string.Join(", ", row.SuppressedBy.Select(p => $"{p.Key}: {N(p.Value)}"));
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{(row.Step is null ? "<em>(journey)</em>" : E(row.Step))}</td><td>{N(row.Arrived)}</td><td>{N(row.Sent)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{N(row.Suppressed)}</td><td class=\"text\">{E(why)}</td><td>{N(row.Deferred)}</td><td>{N(row.Failed)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-count=\"called\">{N(row.Called)}</td><td data-count=\"calls-failed\">{N(row.CallsFailed)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{N(row.Goal)}</td><td>{N(row.Exited)}</td><td>{N(row.Completed)}</td><td>{Percent(row.Conversion)}</td></tr>");
        }

        body.Append("</tbody></table>");
        var branches = report.Branches.Where(b => b.Journey == journey.Id).ToList();
        if (branches.Count > 0)
        {
            body.Append("<h2>Split branches</h2><table id=\"branches\"><thead><tr><th>Split at</th><th>Branch</th><th>Arrived</th><th>Goal</th>")
                .Append("<th>Conversion</th><th>Lift (95% CI, Newcombe)</th></tr></thead><tbody>");
            foreach (var b in branches)
            {
                var lift = b.IsReference ? "reference" : b.Lift is { } l ? $"{Percent(l)} ({Percent(b.LiftLow)} to {Percent(b.LiftHigh)})" : "";
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(b.Step)}</td><td class=\"text\">{E(b.Branch)}</td><td>{N(b.Arrived)}</td><td>{N(b.Goal)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{Percent(b.Conversion)}</td><td class=\"text\">{E(lift)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section></div>");
        var scripts = $$"""
            <script src="{{E(basePath)}}/assets/mermaid.min.js"></script>
            <script>
            mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
            mermaid.run({ querySelector: "pre.mermaid" });
            </script>
            """;
        return Layout(options.Title, journey.Id, basePath, body.ToString(), scripts);
    }

    /// <summary>The customer lookup: a form, and for a known customer their state and their latest decisions.</summary>
    public static string Customer(JourneysDashboardOptions options, string basePath, string? id, CustomerView? view, IReadOnlyList<JourneyDecision> timeline)
    {
        var body = new StringBuilder("<h1>Customers</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"{E(basePath)}/customers\"><label>Customer id <input name=\"id\" value=\"{E(id)}\" autofocus></label> <button type=\"submit\">Look up</button></form>");
        if (string.IsNullOrEmpty(id))
        {
            return Layout(options.Title, "Customers", basePath, body.ToString());
        }

        if (view is null && timeline.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"unknown\">The engine has not heard of customer <strong>{E(id)}</strong>.</p>");
            return Layout(options.Title, id, basePath, body.ToString());
        }

        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(id)}</h2>");
        if (view is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Tier <strong>{E(view.Tier)}</strong>, time zone {E(view.TimeZone)}, first seen {T(view.FirstSeen)}.</p>");
            body.Append("<h3>Runs</h3><table id=\"runs\"><thead><tr><th>Journey</th><th>Version</th><th>Step</th><th>Entered</th><th>Arrived</th><th>Converted</th></tr></thead><tbody>");
            foreach (var run in view.Runs)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(run.Journey)}</td><td>{run.Version}</td><td class=\"text\">{E(run.Step)}</td><td>{T(run.EnteredAt)}</td><td>{T(run.ArrivedAt)}</td><td>{(run.Converted ? "yes" : "no")}</td></tr>");
            }

            body.Append("</tbody></table><h3>Due</h3><table id=\"timers\"><thead><tr><th>Due</th><th>Journey</th><th>Step</th><th>What</th></tr></thead><tbody>");
            foreach (var timer in view.Timers)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{T(timer.DueAt)}</td><td class=\"text\">{E(timer.Journey)}</td><td class=\"text\">{E(timer.Step)}</td><td class=\"text\">{E(timer.What)}</td></tr>");
            }

            body.Append("</tbody></table><h3>Sends counted for the caps</h3><table id=\"sends\"><thead><tr><th>At</th><th>Channel</th><th>Journey</th></tr></thead><tbody>");
            foreach (var send in view.Sends)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{T(send.At)}</td><td class=\"text\">{E(send.Channel)}</td><td class=\"text\">{E(send.Journey)}</td></tr>");
            }

            body.Append("</tbody></table><h3>Traits</h3><table id=\"traits\"><tbody>");
            foreach (var (name, value) in view.Traits)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td class=\"text\">{E(Convert.ToString(value, CultureInfo.InvariantCulture))}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<h3>Timeline</h3><p class=\"muted\">The customer's latest decisions since the dashboard started, and why.</p><table id=\"timeline\"><thead><tr><th>At</th><th>Journey</th><th>Step</th><th>Decision</th><th>Why</th></tr></thead><tbody>");
        foreach (var d in timeline)
        {
            var what = d.KindName + (d.Channel is { } channel ? $" on {channel}" : "") + (d.Template is { } template ? $" ({template})" : "") + (d.From is { } from ? $" from {from}" : "");
            body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{T(d.Timestamp)}</td><td class=\"text\">{E(d.JourneyId)}</td><td class=\"text\">{E(d.Step)}</td><td class=\"text\">{E(what)}</td><td class=\"text\">{E(d.Reason)}</td></tr>");
        }

        body.Append("</tbody></table>");
        return Layout(options.Title, id, basePath, body.ToString());
    }

    /// <summary>The counts of every journey, for the journeys page's refresh.</summary>
    public static IReadOnlyList<Counts> AllCounts(JourneyEngine engine, FunnelReport report)
    {
        var paused = engine.PausedJourneys;
        return [.. Current(engine).Select(j => Counts.Of(j.Id, report, paused))];
    }

    /// <summary>The catalog's journeys, the newest version of each id.</summary>
    public static IEnumerable<JourneyInfo> Current(JourneyEngine engine) =>
        engine.Catalog.Journeys.GroupBy(j => j.Id, StringComparer.Ordinal).Select(g => g.MaxBy(j => j.Version)!);

    private static string Control(string basePath, string journeyId, bool paused, Form form)
    {
        var action = paused ? "resume" : "pause";
        return $"<form class=\"inline\" method=\"post\" action=\"{E(basePath)}/journeys/{Uri.EscapeDataString(journeyId)}/{action}\">" +
               $"<input type=\"hidden\" name=\"{E(form.FieldName)}\" value=\"{E(form.Token)}\">" +
               $"<button type=\"submit\" name=\"{action}\" data-journey=\"{E(journeyId)}\">{(paused ? "Resume" : "Pause")}</button></form>";
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "";

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>A journey's counts as the journeys page and its refresh show them.</summary>
    public sealed record Counts(string Journey, bool Paused, long Entered, long Sent, long Suppressed, long Goal, long Exited, long Completed,
        long Called, long CallsFailed)
    {
        public static Counts Of(string journey, FunnelReport report, IReadOnlyList<string> paused)
        {
            var whole = report.Rows.FirstOrDefault(r => r.Journey == journey && r.Step is null); // the journey's row: entries and totals
            return new Counts(journey, paused.Contains(journey, StringComparer.Ordinal), whole?.Arrived ?? 0, whole?.Sent ?? 0, whole?.Suppressed ?? 0,
                whole?.Goal ?? 0, whole?.Exited ?? 0, whole?.Completed ?? 0, whole?.Called ?? 0, whole?.CallsFailed ?? 0);
        }
    }
}
