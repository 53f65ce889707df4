using System.CommandLine;
using System.Globalization;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Inspection;
using Journeys.Interchange;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary><c>journeys explain &lt;folder&gt; --events FILE --user ID [--until ISO] [--actions FILE]</c>: one customer's run as a readable
/// timeline, each decision with why (the rule, cap or timer behind it).</summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var folder = new Argument<string>("folder") { Description = "The journey folder." };
        var events = new Option<string>("--events") { Description = "Segment-style JSON lines (track, identify).", Required = true };
        var user = new Option<string>("--user") { Description = "The customer to explain.", Required = true };
        var until = new Option<string?>("--until") { Description = "End of the run (ISO 8601); default: the last event's time." };
        var actions = SimulateCommand.ActionsOption();
        var command = new Command("explain", "Tell one customer's run as a timeline: each decision and why.") { folder, events, user, until, actions };
        command.SetAction(parse =>
        {
            // Only this customer's inputs and decisions are kept; the file is checked first (which finds the customer's
            // inputs and the users for the message when there are none), then run without holding it.
            var id = parse.GetValue(user)!;
            DateTimeOffset? end = null;
            if (parse.GetValue(until) is { } text && SegmentReader.TryParseTimestamp(text, out var parsed, out _))
            {
                end = parsed;
            }

            var mine = new List<SegmentInput>();
            SegmentInput? first = null;
            var users = new Users();
            var (run, code) = StreamedRun.Check(parse.GetValue(folder)!, parse.GetValue(events)!, parse.GetValue(until), stderr,
                SimulateCommand.Progress(parse.GetValue(events)!, stderr), input =>
                {
                    var inRun = end is not { } e || input.Timestamp <= e;
                    users.Add(input.CustomerId, inRun);
                    if (input.CustomerId != id)
                    {
                        return;
                    }

                    if (inRun)
                    {
                        mine.Add(input);
                    }

                    if (first is null || input.Timestamp < first.Timestamp)
                    {
                        first = input;
                    }
                }, parse.GetValue(actions));
            if (run is null)
            {
                return code;
            }

            if (mine.Count == 0 && first is not null)
            {
                // The user is in the file, but every one of their events is after the run's end.
                stderr.WriteLine(SimulationRun.Escape(
                    $"journeys: every event for user '{id}' is after --until {parse.GetValue(until)}; their first is at {SimulationRun.Format(first.Timestamp)} (line {first.Line})"));
                return JourneysCommand.Usage;
            }

            if (mine.Count == 0)
            {
                // Like graph's unknown --journey: the files are valid, the option names nothing in them (wrong usage).
                stderr.WriteLine(SimulationRun.Escape($"journeys: no event in the file is for user '{id}'; {users.Describe()}"));
                return JourneysCommand.Usage;
            }

            // Where each input fell among the decisions (the sequence its own decisions start from): a timer due at the
            // input's instant fired before it, so its decisions are told before the input, as they were made.
            var marks = new Dictionary<int, long>();
            var told = new List<JourneyDecision>();
            run.Run(d =>
            {
                if (d.CustomerId == id)
                {
                    told.Add(d);
                }
            }, (input, next) =>
            {
                if (input.CustomerId == id)
                {
                    marks[input.Line] = next;
                }
            });
            var catalog = run.Catalog;
            Write(id, mine.Select(i => (i.Timestamp, Sequence: marks.GetValueOrDefault(i.Line), Order: 0, Text: Describe(i))).Concat(
                told.Select(d => (d.Timestamp, d.Sequence, Order: 1, Text: Describe(d, catalog) + UsedUp(d, told, catalog)))), stdout);
            return JourneysCommand.Ok;
        });
        return command;
    }

    /// <summary>The users the file's events are for, the first few by first appearance (among the run's events), for an
    /// unknown --user.</summary>
    private sealed class Users
    {
        private const int Shown = 10;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<string> _first = [];
        private int _inFile;

        public void Add(string user, bool inRun)
        {
            _inFile++;
            if (inRun && _seen.Add(user) && _first.Count < Shown)
            {
                _first.Add(user);
            }
        }

        public string Describe() => _seen.Count switch
        {
            0 when _inFile > 0 => $"every one of the file's {_inFile} events is after --until",
            0 => "the file has no events",
            <= Shown => $"users are {string.Join(", ", _first)}",
            _ => $"users are {string.Join(", ", _first)} and {_seen.Count - Shown} more",
        };
    }

    /// <summary>Prints the timeline in the order things happened: by time, then in processing order (an input before the
    /// decisions from its mark on); ties between inputs keep the file's order.</summary>
    private static void Write(string user, IEnumerable<(DateTimeOffset Timestamp, long Sequence, int Order, string Text)> lines, TextWriter stdout)
    {
        stdout.WriteLine(SimulationRun.Escape($"Customer {user}"));
        foreach (var (timestamp, _, _, text) in lines.OrderBy(l => l.Timestamp.UtcTicks).ThenBy(l => l.Sequence).ThenBy(l => l.Order))
        {
            stdout.WriteLine($"{SimulationRun.Format(timestamp)}  {SimulationRun.Escape(text)}");
        }
    }

    private static string Describe(SegmentInput input) => input.Event is { } e
        ? $"event   {e.Type}{Props(e.Properties)}  (line {input.Line})"
        : $"identify{(input.Profile!.TimeZone is { } tz ? " timeZone=" + tz : "")}{Props(input.Profile.Traits ?? new Dictionary<string, object?>())}  (line {input.Line})";

    private static string Props(IReadOnlyDictionary<string, object?> values) =>
        values.Count == 0 ? "" : " " + string.Join(" ", values.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={Json(kv.Value)}"));

    /// <summary>A property's value as the events file wrote it in JSON: <c>false</c>, <c>null</c>, a number in its shortest
    /// round-trip form that stays a number (<c>129.0</c>, <c>49.5</c>, <c>1E+21</c>); text as it is.</summary>
    internal static string Json(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d when double.IsInteger(d) && Math.Abs(d) < 1e15 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    internal static string Describe(JourneyDecision d, JourneyCatalog catalog)
    {
        var where = d.Case is null ? $"{d.JourneyId} v{d.Version}" : $"{d.JourneyId} v{d.Version} case {d.Case}";
        var journey = catalog.Journeys.FirstOrDefault(j => j.Id == d.JourneyId && j.Version == d.Version);
        return d.Kind switch
        {
            DecisionKind.Entered => $"  {where}: entered at step '{d.Step}' — entry {EntryText(d, journey)}",
            DecisionKind.Moved => $"  {where}: moved '{d.From}' -> '{d.Step}' — {Split(journey, d.From, d.Why) ?? Why(d.Why)}",
            DecisionKind.Sent => $"  {where}: sent {d.Template} on {d.Channel} at step '{d.Step}'",
            DecisionKind.Suppressed => $"  {where}: suppressed {d.Template} on {d.Channel} at step '{d.Step}' — {d.Reason}",
            DecisionKind.Deferred => $"  {where}: deferred {d.Template} on {d.Channel} at step '{d.Step}' — {d.Reason}",
            DecisionKind.Failed when d.Why is { Kind: ReasonKind.NoCase or ReasonKind.CasesFull } =>
                $"  {where}: not entered — {d.Reason}",
            DecisionKind.Failed when d.Why is { Kind: ReasonKind.RuleError } rule =>
                $"  {where}: rule '{rule.Rule}' failed to evaluate at step '{d.Step}' and counted as not holding — {d.Reason}",
            DecisionKind.Failed when d.Why is { Kind: ReasonKind.EmitChain } chain =>
                $"  {where}: did not emit {chain.EventType} at step '{d.Step}' — {d.Reason}",
            DecisionKind.Updated => $"  {where}: set traits at step '{d.Step}' — {string.Join(", ", d.Why?.Traits ?? [])}",
            DecisionKind.Emitted => $"  {where}: emitted {d.Why?.EventType} at step '{d.Step}' (applied next, at the same instant)",
            DecisionKind.Called => $"  {where}: action {d.Channel} answered {d.Why?.Message} at step '{d.Step}'",
            DecisionKind.Failed when d.Template is null && d.Channel is not null =>
                $"  {where}: the call of action {d.Channel} gave up at step '{d.Step}' — {d.Reason}",
            DecisionKind.Failed => $"  {where}: delivery of {d.Template} on {d.Channel} failed at step '{d.Step}' — {d.Reason}",
            DecisionKind.Goal => $"  {where}: reached the goal at step '{d.Step}' — {d.Reason}",
            DecisionKind.Exited => $"  {where}: exited at step '{d.Step}' — {d.Reason}",
            _ => $"  {where}: completed at step '{d.Step}'{(d.Why is null ? " — the step has no 'then'" : " — " + Why(d.Why))}",
        };
    }

    /// <summary>How the customer entered: a <c>when</c> entry's condition, a schedule's rule and the occurrence that
    /// entered them (in their zone), else the decision's reason.</summary>
    private static string? EntryText(JourneyDecision d, Journeys.Inspection.JourneyInfo? journey) => d.Why switch
    {
        { Kind: ReasonKind.When } when journey is not null => journey.Entry.Text,
        { Kind: ReasonKind.Schedule, Occurrence: { } at } =>
            $"{journey?.Entry.Text ?? "schedule"}, the occurrence of {at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}",
        _ => d.Reason,
    };

    /// <summary>For a send held back by a frequency cap, the sends that had used it up: those of the customer, earlier in
    /// the cap's window, that the cap counts (its channel and journey, marketing sends only):
    /// <c> (1 per 7d, used by value-boost/recommend boost/recs on push at 2026-01-10T10:00:00Z)</c>.</summary>
    internal static string UsedUp(JourneyDecision d, IReadOnlyList<JourneyDecision> customers, JourneyCatalog catalog)
    {
        if (d.Kind is not (DecisionKind.Suppressed or DecisionKind.Deferred) || d.Why is not { Kind: ReasonKind.Cap, Cap: { } name }
            || catalog.Policy.Caps.FirstOrDefault(c => c.Name == name) is not { } cap)
        {
            return "";
        }

        var from = d.Timestamp - cap.Per;
        var used = customers
            .Where(s => s.Kind == DecisionKind.Sent && s.Sequence < d.Sequence && s.Timestamp > from && s.Timestamp <= d.Timestamp
                        && (cap.Channel is null || cap.Channel == s.Channel) && (cap.Journey is null || cap.Journey == s.JourneyId)
                        && Category(s, catalog) == MessageCategory.Marketing)
            .Select(s => $"{s.JourneyId}/{s.Step} {s.Template} on {s.Channel} at {SimulationRun.Format(s.Timestamp)}")
            .ToList();
        var window = string.Create(CultureInfo.InvariantCulture, $"{cap.Max} per {Span(cap.Per)}");
        return used.Count == 0 ? $" ({window})" : $" ({window}, used by {string.Join("; ", used)})";
    }

    private static string Span(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{t.Days}d")
        : t.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours}h")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalMinutes}m");

    private static MessageCategory Category(JourneyDecision sent, JourneyCatalog catalog) =>
        catalog.Journeys.FirstOrDefault(j => j.Id == sent.JourneyId && j.Version == sent.Version)?
            .Steps.FirstOrDefault(st => st.Name == sent.Step)?
            .Sends.FirstOrDefault(x => x.Channel == sent.Channel && x.Template == sent.Template)?.Category ?? MessageCategory.Marketing;

    /// <summary>A split's reason (<c>split 1/2</c>, the branch taken) with the branch's share as graph labels it:
    /// <c>split branch 1/2 [90%]</c>; null for any other reason.</summary>
    private static string? Split(JourneyInfo? journey, string? from, DecisionReason? reason)
    {
        if (reason is not { Kind: ReasonKind.Split, Branch: var branch, Branches: var branches } ||
            journey?.Steps.FirstOrDefault(s => s.Name == from)?.Transitions.FirstOrDefault(t => t.Kind == TransitionKind.Split) is not { } split ||
            branch < 1 || branch > split.Branches.Count)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"split branch {branch}/{branches} [{split.Branches[branch - 1].Share}]");
    }

    private static string Why(DecisionReason? reason) => reason switch
    {
        null => "",
        { Kind: ReasonKind.Timer } r => $"timer '{r.Text}' fired",
        { Kind: ReasonKind.Event } r => $"event '{r.Text["on ".Length..]}' matched",
        { Kind: ReasonKind.Condition } r => $"branch '{r.Text}' held on arrival",
        var r => r.Text,
    };
}
