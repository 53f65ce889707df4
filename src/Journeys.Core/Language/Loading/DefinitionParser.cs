using System.Globalization;
using System.Text.RegularExpressions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

/// <summary>Turns the YAML trees of journey and policy files into the definition model, collecting every problem it
/// finds (not only the first) as a diagnostic at its line and column.</summary>
internal sealed partial class DefinitionParser(ExpressionCompiler compiler, List<Diagnostic> diagnostics)
{
    private static readonly string[] JourneyKeys = ["journey", "version", "description", "entry", "reentry", "exit", "goal", "versioning", "start", "steps", "calendar", "case", "maxCases"];
    private static readonly string[] EntryKeys = ["on", "if", "when", "inactive", "date", "schedule"];
    private static readonly string[] InactiveKeys = ["for", "of"];
    private static readonly string[] DateKeys = ["trait", "every", "offset", "at", "lunar"];
    private static readonly string[] ExitKeys = ["on", "if"];
    private static readonly string[] GoalKeys = ["on", "if", "within", "exit"];
    private static readonly string[] StepKeys = ["description", "send", "then", "set", "emit", "call"];
    private static readonly string[] SendKeys = ["channel", "template", "category", "priority", "validFor"];
    private static readonly string[] TransitionKeys = ["on", "if", "after", "from", "until", "goto", "split"];
    private static readonly string[] BranchKeys = ["weight", "goto"];
    private static readonly string[] PolicyKeys = ["tiers", "frequency", "quietHours", "whenCapped", "deferFor", "calendars"];
    private static readonly string[] CapKeys = ["tier", "channel", "journey", "max", "per"];
    private static readonly string[] QuietKeys = ["from", "to"];

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex JourneyId();

    // ---- journeys ----------------------------------------------------------------------------------------------------

    public JourneyDefinition? ParseJourney(YMapping root)
    {
        var before = ErrorCount;
        CheckKeys(root, JourneyKeys, "a journey");
        var idNode = root["journey"] as YScalar;
        var id = idNode?.Value ?? "";
        if (idNode is null || !JourneyId().IsMatch(id))
        {
            Error(idNode?.Location ?? root.Location, DiagnosticCodes.InvalidValue,
                $"journey id '{id}' must be lowercase letters, digits and dashes, such as new-customer-nurture");
        }

        var version = root["version"] is { } v ? Int(v, "version", 1, int.MaxValue) ?? 1 : 1;
        var description = root["description"] is YScalar d ? d.Value : null;
        var entry = root["entry"] is { } e ? ParseEntry(e) : Missing<EntryDefinition>(root, "entry", "on: <event> | when: <expr> | inactive: {...} | date: {...}");
        var reentry = root["reentry"] is { } r ? ParseReentry(r) : entry is ScheduleEntry ? ReentryPolicy.Always : ReentryPolicy.Never;
        if (entry is ConditionEntry && reentry.Kind == ReentryKind.Always)
        {
            // A when entry is checked against the condition's value, not its change: with always, a customer whose
            // condition still holds enters again at their next event or trait change after leaving.
            Warning(root["reentry"]!.Location, DiagnosticCodes.InvalidValue,
                "a 'when' entry with reentry: always enters the customer again at their next event or trait change after " +
                "they leave, for as long as the condition holds; use a duration such as 30d to pace it");
        }
        ParseJourneyCalendar(root["calendar"]);
        var (caseKey, maxCases) = ParseCases(root, entry);
        var exits = root["exit"] is { } x ? ParseList(x, ParseExit) : [];
        var goal = root["goal"] is { } g ? ParseGoal(g) : null;
        var versioning = root["versioning"] is { } vm ? Enum(vm, "versioning", new Dictionary<string, VersioningMode> { ["finish"] = VersioningMode.Finish, ["migrate"] = VersioningMode.Migrate }) ?? VersioningMode.Finish : VersioningMode.Finish;
        var startNode = root["start"] as YScalar;
        var steps = root["steps"] is { } s ? ParseSteps(s) : [];
        if (root["steps"] is null)
        {
            Missing<object>(root, "steps", "a mapping of step names to steps");
        }

        if (startNode is null)
        {
            Missing<object>(root, "start", "the name of the first step");
        }
        else if (steps.Count > 0 && steps.All(st => st.Name != startNode.Value))
        {
            Error(startNode.Location, DiagnosticCodes.UnknownStep,
                $"start step '{startNode.Value}' is not defined{Hint(startNode.Value, steps.Select(st => st.Name))}; steps are {StepList(steps)}");
        }

        CheckGraph(steps, startNode?.Value);
        if (ErrorCount > before || entry is null)
        {
            return null;
        }

        return new JourneyDefinition
        {
            Id = id,
            Version = version,
            Description = description,
            Entry = entry,
            Reentry = reentry,
            Exits = exits,
            Goal = goal,
            Versioning = versioning,
            Calendar = _journeyCalendar.Calendar,
            Case = caseKey,
            MaxCases = maxCases,
            Start = startNode!.Value,
            Steps = steps,
            Location = root.Location,
        };
    }

    private EntryDefinition? ParseEntry(YNode node)
    {
        if (Map(node, "entry") is not { } map)
        {
            return null;
        }

        CheckKeys(map, EntryKeys, "entry");
        var kinds = map.Entries.Where(kv => kv.Key.Value is "on" or "when" or "inactive" or "date" or "schedule").ToList();
        if (kinds.Count != 1)
        {
            Error(map.Location, DiagnosticCodes.InvalidValue,
                kinds.Count == 0
                    ? "entry needs exactly one of: on, when, inactive, date, schedule"
                    : $"entry needs exactly one of: on, when, inactive, date, schedule (found {string.Join(", ", kinds.Select(k => k.Key.Value))})");
            return null;
        }

        var (key, value) = (kinds[0].Key.Value, kinds[0].Value);
        if (key is not ("on" or "schedule") && map["if"] is { } stray)
        {
            Error(stray.Location, DiagnosticCodes.InvalidValue, $"'if' guards only an 'on' or a 'schedule' entry; put the condition in 'when' instead");
        }

        switch (key)
        {
            case "on":
                return EventName(value, "entry on") is { } type
                    ? new EventEntry(type, map["if"] is { } guard ? Expr(guard, ExpressionScope.CustomerAndEvent) : null) { Location = map.Location }
                    : null;
            case "schedule":
                return ParseSchedule(value, map);
            case "when":
                return Expr(value, ExpressionScope.Customer) is { } condition ? new ConditionEntry(condition) { Location = map.Location } : null;
            case "inactive":
            {
                if (Map(value, "inactive") is not { } inactive)
                {
                    return null;
                }

                CheckKeys(inactive, InactiveKeys, "inactive");
                var duration = inactive["for"] is { } f ? PositiveDuration(f, "for") : Missing<object>(inactive, "for", "a duration such as 90d") as TimeSpan?;
                var of = inactive["of"] is { } o ? Names(o, "of") : Missing<List<string>>(inactive, "of", "a list of event types");
                return duration is { } dd && of is { Count: > 0 } ? new InactivityEntry(dd, of) { Location = map.Location } : null;
            }

            default:
            {
                if (Map(value, "date") is not { } date)
                {
                    return null;
                }

                CheckKeys(date, DateKeys, "date");
                var trait = date["trait"] is { } t ? Name(t, "trait") : Missing<string>(date, "trait", "the name of a date trait such as birthday");
                var every = date["every"] is { } ev ? Enum(ev, "every", new Dictionary<string, bool> { ["year"] = true, ["once"] = false }) : false;
                var lunar = DateLunar(date, every);
                var offset = date["offset"] is { } off ? DurationValue(off, "offset") : TimeSpan.Zero;
                var at = date["at"] is { } a ? Time(a, "at") : new TimeOnly(9, 0);
                return trait is not null && every is not null && lunar is not null && offset is not null && at is not null
                    ? new DateEntry(trait, every.Value || lunar.Value, offset.Value, at.Value) { Location = map.Location, Lunar = lunar.Value }
                    : null;
            }
        }
    }

    private ReentryPolicy ParseReentry(YNode node)
    {
        if (Scalar(node, "reentry") is not { } s)
        {
            return ReentryPolicy.Never;
        }

        switch (s.Value)
        {
            case "never":
                return ReentryPolicy.Never;
            case "always":
                return ReentryPolicy.Always;
        }

        if (Duration.TryParse(s.Value, out var gap, out _) && gap > TimeSpan.Zero)
        {
            return new ReentryPolicy(ReentryKind.AfterGap, gap);
        }

        Error(s.Location, DiagnosticCodes.InvalidValue, $"reentry must be never, always or a duration such as 90d, not '{s.Value}'");
        return ReentryPolicy.Never;
    }

    private ExitRule? ParseExit(YNode node)
    {
        if (Map(node, "exit rule") is not { } map)
        {
            return null;
        }

        CheckKeys(map, ExitKeys, "an exit rule");
        var type = map["on"] is { } on ? EventName(on, "on") : Missing<string>(map, "on", "an event type");
        var guard = map["if"] is { } g ? Expr(g, ExpressionScope.CustomerAndEvent | ExpressionScope.Run) : null;
        return type is null ? null : new ExitRule(type, guard) { Location = map.Location };
    }

    private GoalDefinition? ParseGoal(YNode node)
    {
        if (Map(node, "goal") is not { } map)
        {
            return null;
        }

        CheckKeys(map, GoalKeys, "goal");
        var type = map["on"] is { } on ? EventName(on, "on") : Missing<string>(map, "on", "an event type");
        var guard = map["if"] is { } g ? Expr(g, ExpressionScope.CustomerAndEvent | ExpressionScope.Run) : null;
        var within = map["within"] is { } w ? JourneyDuration(w, "within") : null;
        var exit = map["exit"] is { } x ? Bool(x, "exit") ?? true : true;
        return type is null || (map["within"] is not null && within is null)
            ? null
            : new GoalDefinition(type, guard, within is { Working: null } fixedWithin ? fixedWithin.Span : null, exit) { WithinWorking = within?.Working, Location = map.Location };
    }

    private List<StepDefinition> ParseSteps(YNode node)
    {
        var steps = new List<StepDefinition>();
        if (Map(node, "steps") is not { } map)
        {
            return steps;
        }

        if (map.Entries.Count == 0)
        {
            Error(map.Location, DiagnosticCodes.MissingKey, "a journey needs at least one step");
        }

        foreach (var (key, value) in map.Entries)
        {
            if (key.Value == TransitionDefinition.End)
            {
                Error(key.Location, DiagnosticCodes.InvalidValue, "'end' is reserved for 'goto: end' and cannot name a step");
                continue;
            }

            if (value is YScalar { IsPlainNull: true })
            {
                steps.Add(new StepDefinition(key.Value, [], []) { Location = key.Location });
                continue;
            }

            if (Map(value, $"step '{key.Value}'") is not { } step)
            {
                continue;
            }

            CheckKeys(step, StepKeys, $"step '{key.Value}'");
            var sends = step["send"] is { } s ? ParseList(s, ParseSend) : [];
            var set = step["set"] is { } st ? ParseSet(st, key.Value) : [];
            var emits = step["emit"] is { } em ? ParseList(em, ParseEmit) : [];
            var call = step["call"] is { } cl ? ParseCall(cl) : null;
            _stepCalls = step["call"] is not null; // its $done transitions' guards may read result.*
            var then = new List<TransitionDefinition>();
            if (step["then"] is { } t)
            {
                if (t is YSequence { Items.Count: 0 } || t is YScalar { IsPlainNull: true })
                {
                    Error(t.Location, DiagnosticCodes.DeadStep,
                        $"step '{key.Value}' has a 'then' with no transition: customers could never leave it (remove 'then' to end the journey here)");
                }
                else
                {
                    then = ParseList(t, ParseTransition);
                }
            }

            _stepCalls = false;
            CheckAnswers(key.Value, then, step["call"] is not null, sends.Count > 0 || step["send"] is not null);
            steps.Add(new StepDefinition(key.Value, sends, then) { Location = key.Location, Set = set, Emits = emits, Call = call });
        }

        return steps;
    }

    private SendDefinition? ParseSend(YNode node)
    {
        if (Map(node, "send") is not { } map)
        {
            return null;
        }

        CheckKeys(map, SendKeys, "send");
        var channel = map["channel"] is { } c ? Name(c, "channel") : Missing<string>(map, "channel", "a channel name such as push");
        var template = map["template"] is { } t ? Name(t, "template") : Missing<string>(map, "template", "a template name such as nurture/guide");
        var category = map["category"] is { } cat
            ? Enum(cat, "category", new Dictionary<string, MessageCategory> { ["marketing"] = MessageCategory.Marketing, ["transactional"] = MessageCategory.Transactional, ["operational"] = MessageCategory.Operational })
            : MessageCategory.Marketing;
        var priority = map["priority"] is { } p ? Int(p, "priority", -1000, 1000) : 0;
        var validFor = map["validFor"] is { } vf ? PositiveDuration(vf, "validFor") : null;
        if (channel is null || template is null || category is null || priority is null || (map["validFor"] is not null && validFor is null))
        {
            return null;
        }

        var send = new SendDefinition(channel, template, category.Value, priority.Value) { ValidFor = validFor, Location = map.Location };
        Sends.Add(send);
        return send;
    }

    /// <summary>Every send parsed, including those of journeys refused for other errors: their templates are checked
    /// too, so that one error does not hide another.</summary>
    internal List<SendDefinition> Sends { get; } = [];

    private TransitionDefinition? ParseTransition(YNode node)
    {
        if (Map(node, "transition") is not { } map)
        {
            return null;
        }

        CheckKeys(map, TransitionKeys, "a transition");
        if (map["split"] is { } split)
        {
            foreach (var other in map.Entries.Where(kv => kv.Key.Value != "split" && TransitionKeys.Contains(kv.Key.Value)))
            {
                Error(other.Key.Location, DiagnosticCodes.InvalidValue, $"a split stands alone: '{other.Key.Value}' belongs in one of its branches or in another transition");
            }

            var branches = ParseList(split, ParseBranch);
            if (split is YSequence { Items.Count: < 2 } seq)
            {
                Error(seq.Location, DiagnosticCodes.InvalidValue, "a split needs at least two branches");
            }

            var total = new SplitTransition(branches) { Location = map.Location };
            if (!double.IsFinite(total.TotalWeight))
            {
                Error(split.Location, DiagnosticCodes.BadWeight, "the split's weights add up past the largest number: use smaller weights (only their ratios matter)");
            }

            return total;
        }

        var target = map["goto"] is { } g ? Name(g, "goto") : Missing<string>(map, "goto", "the next step's name, or end");
        var at = map["goto"]?.Location; // an unknown target is reported at the name, not at the transition's first key
        var on = map["on"];
        var after = map["after"];
        var until = map["until"];
        var condition = map["if"];
        if (after is not null && (on is not null || condition is not null || until is not null))
        {
            Error(after.Location, DiagnosticCodes.InvalidValue, "'after' is a timer of its own: it cannot be combined with 'on', 'if' or 'until'");
            return null;
        }

        if (until is not null && (on is not null || condition is not null))
        {
            Error(until.Location, DiagnosticCodes.InvalidValue, "'until' is a timer of its own: it cannot be combined with 'on' or 'if'");
            return null;
        }

        if (map["from"] is { } stray && after is null)
        {
            Error(stray.Location, DiagnosticCodes.InvalidValue, "'from' says where an 'after' timer counts from: write it with 'after', as { after: 7bd, from: entry, goto: late }");
            return null;
        }

        if (on is not null)
        {
            var type = Name(on, "on");
            var scope = ExpressionScope.CustomerAndEvent | ExpressionScope.Run;
            if (_stepCalls && on is YScalar { Value: CallDefinition.Done })
            {
                scope |= ExpressionScope.Result; // the call's answer
            }

            var guard = condition is null ? null : Expr(condition, scope);
            return type is null || target is null || (condition is not null && guard is null) ? null : new EventTransition(type, guard, target) { Location = map.Location, TargetLocation = at };
        }

        if (after is not null)
        {
            return ParseTimer(map, after, target);
        }

        if (until is not null)
        {
            return ParseUntil(map, until, target);
        }

        if (condition is not null)
        {
            var expr = Expr(condition, ExpressionScope.Customer | ExpressionScope.Run);
            return expr is null || target is null ? null : new ConditionTransition(expr, target) { Location = map.Location, TargetLocation = at };
        }

        return target is null ? null : new GotoTransition(target) { Location = map.Location, TargetLocation = at };
    }

    private SplitBranch? ParseBranch(YNode node)
    {
        if (Map(node, "split branch") is not { } map)
        {
            return null;
        }

        CheckKeys(map, BranchKeys, "a split branch");
        var target = map["goto"] is { } g ? Name(g, "goto") : Missing<string>(map, "goto", "the branch's step, or end");
        double? weight = null;
        if (map["weight"] is not { } w)
        {
            Missing<object>(map, "weight", "a positive number");
        }
        else if (w is YScalar ws && double.TryParse(ws.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 && double.IsFinite(parsed))
        {
            weight = parsed;
        }
        else
        {
            Error(w.Location, DiagnosticCodes.BadWeight, $"a split weight must be a positive number, not '{(w as YScalar)?.Value ?? w.Kind}'");
        }

        return weight is null || target is null ? null : new SplitBranch(weight.Value, target) { Location = map.Location, TargetLocation = map["goto"]!.Location };
    }

    /// <summary>Targets exist; steps are reachable from start; a customer can always eventually finish.</summary>
    private void CheckGraph(List<StepDefinition> steps, string? start)
    {
        var names = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (!seen.Add(step.Name))
            {
                Error(step.Location, DiagnosticCodes.Duplicate, $"step '{step.Name}' is defined twice");
            }

            var unconditional = false;
            var movesOnArrival = step.Transitions.Any(t => t is GotoTransition or SplitTransition);
            TimeSpan? earliestTimer = null;
            foreach (var t in step.Transitions)
            {
                if (unconditional)
                {
                    Warning(t.Location, DiagnosticCodes.DeadStep, $"this transition of step '{step.Name}' can never fire: an earlier one always does");
                }
                else if (movesOnArrival && t is EventTransition or TimerTransition or UntilTransition)
                {
                    // 'goto' alone and 'split' are decided on arrival, before any event or timer can come.
                    Warning(t.Location, DiagnosticCodes.DeadStep,
                        $"this transition of step '{step.Name}' can never fire: the step always moves on at arrival (an unconditional 'goto' or a 'split')");
                }
                else if (t is TimerTransition { IsPlain: true } timer)
                {
                    if (earliestTimer is { } earlier && timer.After >= earlier)
                    {
                        Warning(t.Location, DiagnosticCodes.DeadStep,
                            $"this 'after: {Duration.Format(timer.After)}' of step '{step.Name}' can never fire: an earlier 'after: {Duration.Format(earlier)}' fires first");
                    }

                    earliestTimer = earliestTimer is { } e && e < timer.After ? e : timer.After;
                }

                unconditional |= t is GotoTransition or SplitTransition;
                foreach (var (target, location, name) in t is SplitTransition split
                             ? split.Branches.Select(b => (b.Target, b.Location, b.TargetLocation ?? b.Location))
                             : [(t.Targets.First(), t.Location, t.TargetLocation ?? t.Location)])
                {
                    if (target != TransitionDefinition.End && !names.Contains(target))
                    {
                        Error(name, DiagnosticCodes.UnknownStep,
                            $"goto '{target}': no such step{Hint(target, names.Append(TransitionDefinition.End))}; steps are {StepList(steps)} (or end)");
                    }

                    if (target == step.Name && t is TimerTransition { FromEntry: true })
                    {
                        Error(location, DiagnosticCodes.DeadStep,
                            $"a 'from: entry' timer of step '{step.Name}' leads back to it: once its time has passed, arriving would take it again at once, forever");
                    }
                    else if (target == step.Name && t is not (EventTransition or TimerTransition or UntilTransition))
                    {
                        Error(location, DiagnosticCodes.DeadStep, $"step '{step.Name}' branches to itself on arrival: customers would loop forever");
                    }
                }
            }

            if (step.Transitions.Count > 0 && step.Transitions.All(t => t is ConditionTransition))
            {
                Warning(step.Location, DiagnosticCodes.DeadStep,
                    $"step '{step.Name}' has only 'if' branches: a customer who matches none completes the journey here (add an 'after' or a branch without 'if' to make that explicit)");
            }
        }

        CheckArrivalCycles(steps);
        if (start is null || !names.Contains(start))
        {
            return;
        }

        var byName = steps.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var reachable = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            foreach (var target in byName[queue.Dequeue()].Transitions.SelectMany(t => t.Targets))
            {
                if (byName.ContainsKey(target) && reachable.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        foreach (var step in steps.Where(s => !reachable.Contains(s.Name)))
        {
            Warning(step.Location, DiagnosticCodes.DeadStep, $"step '{step.Name}' can never be reached from start '{start}'");
        }

        // Steps from which no path leads to the end: customers who get there stay forever.
        var finishes = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var step in steps)
            {
                if (finishes.Contains(step.Name))
                {
                    continue;
                }

                var ends = step.Transitions.Count == 0 || step.Transitions.All(t => t is ConditionTransition) ||
                           step.Transitions.SelectMany(t => t.Targets).Any(t => t == TransitionDefinition.End || finishes.Contains(t));
                if (ends)
                {
                    finishes.Add(step.Name);
                    changed = true;
                }
            }
        }
        while (changed);

        foreach (var step in steps.Where(s => reachable.Contains(s.Name) && !finishes.Contains(s.Name)))
        {
            Warning(step.Location, DiagnosticCodes.DeadStep,
                $"step '{step.Name}' can never be left for good: no path from it reaches the end of the journey (only an exit or the goal ends it)");
        }
    }
}
