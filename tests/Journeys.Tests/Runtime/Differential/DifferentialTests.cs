using System.Globalization;
using System.Text;
using Journeys.Compilation;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;

namespace Journeys.Tests.Runtime.Differential;

/// <summary>The property: for any sequence of events, profile changes and passing time, the compiled runtime and the
/// reference interpreter agree, after every input, on the customer's state and on every decision (time, kind, step).
/// Seeded, so every run checks the same cases; a failure is shrunk to a minimal input list and printed.</summary>
public sealed class DifferentialTests
{
    private const int CasesPerJourney = 500;
    private static readonly DateTimeOffset Start = Sim.T;

    /// <summary>Sends on click or a third visit; a timer that never fires behind an earlier one; a split with a way out;
    /// a step of only <c>if</c>s; a goal that does not exit.</summary>
    private const string Promo = """
        journey: promo
        version: 1
        entry: { on: visit }
        reentry: always
        exit:
          - on: opt_out
        goal:
          on: buy
          within: 10d
          exit: false
        start: greet
        steps:
          greet:
            send: { channel: email, template: promo/greet }
            then:
              - on: click
                goto: offer
              - on: visit
                if: "count('visit', 3) >= 3"
                goto: offer
              - after: 5d
                goto: end
              - after: 2d
                goto: check
          check:
            then:
              - if: "count('click', 7) >= 1"
                goto: offer
              - split: [ { weight: 1, goto: offer }, { weight: 1, goto: nudge }, { weight: 2, goto: end } ]
          offer:
            send: [ { channel: push, template: promo/offer }, { channel: sms, template: promo/offer-sms } ]
            then:
              - on: buy
                goto: end
              - after: 36h
                goto: nudge
          nudge:
            send: { channel: push, template: promo/nudge }
            then:
              - if: "count('visit', 1) == 0"
                goto: end
              - if: "count('click', 2) >= 2"
                goto: offer
        """;

    /// <summary>A re-entry gap, a guarded exit before the goal on the same event, guarded <c>on</c>s in order, a goto.</summary>
    private const string Winback = """
        journey: winback
        version: 2
        entry: { on: visit, if: "customer.country != 'test'" }
        reentry: 5d
        exit:
          - on: opt_out
          - on: buy
            if: "count('buy', 30) >= 2"
        goal: { on: buy, within: 3d }
        start: wait
        steps:
          wait:
            then:
              - on: click
                if: "count('click', 1) >= 2"
                goto: fast
              - on: click
                goto: slow
              - after: 12h
                goto: slow
          fast:
            send: { channel: push, template: wb/fast }
            then:
              - goto: end
          slow:
            send: { channel: email, template: wb/slow }
            then:
              - split: [ { weight: 3, goto: a }, { weight: 1, goto: b } ]
          a:
            then:
              - after: 1d
                goto: end
              - on: visit
                goto: b
          b:
            send: { channel: sms, template: wb/b }
        """;

    /// <summary>Timers back to the same step, hours-based guards on arrival, an <c>on</c> straight to the end, and a goal
    /// that does not exit, with a window customers are often still inside at.</summary>
    /// <summary>Timers from entry (armed, and taken on arrival once passed, after an earlier 'if') and 'until' waits.</summary>
    private const string Sla = """
        journey: sla
        entry: { on: a }
        reentry: always
        exit: [ { on: x } ]
        start: wait
        steps:
          wait:
            then:
              - { on: b, goto: answered }
              - { after: 1d, goto: nudge }
          nudge:
            then:
              - { on: b, goto: answered }
              - { after: 3d, from: entry, goto: late }
              - { until: { at: "10:00", days: [mon, wed, fri] }, goto: nudge-again }
          nudge-again:
            then:
              - { if: "count('c', 1) >= 1", goto: answered }
              - { after: 3d, from: entry, goto: late }
              - { on: b, goto: answered }
              - { until: { at: "18:30" }, goto: nudge }
          answered:
            then: [ { on: d, goto: end }, { after: 2d, from: entry, goto: late } ]
          late:
        """;

    private const string Habit = """
        journey: habit
        version: 7
        entry: { on: click }
        reentry: always
        exit:
          - on: opt_out
            if: "customer.country == 'fr'"
        goal: { on: buy, within: 2d, exit: false }
        start: watch
        steps:
          watch:
            then:
              - on: buy
                goto: end
              - on: visit
                goto: judge
              - after: 1d
                goto: watch
          judge:
            send: { channel: push, template: habit/judge }
            then:
              - if: "hoursSince(lastSeen('click')) < 6"
                goto: watch
              - if: "daysSince(lastSeen('buy')) <= 2"
                goto: end
              - after: 6h
                goto: watch
        """;

    /// <summary><c>set</c> and <c>emit</c>: traits a guard reads set on arrival (one from a trait identify changes, one
    /// removed), an event the run itself waits for, a step that emits its own move (a chain the limit of 8 stops), and an
    /// emitted entry event that enters the journey again once the run completes.</summary>
    private const string Actions = """
        journey: actions
        entry: { on: visit }
        reentry: always
        exit: [ { on: opt_out } ]
        start: greet
        steps:
          greet:
            set: { visits: "count('visit', 30)", seen: "customer.country" }
            send: { channel: email, template: actions/greet }
            emit: { event: greeted }
            then:
              - { on: greeted, if: "customer.seen == 'fr'", goto: vip }
              - { on: click, goto: echo }
              - { if: "customer.visits >= 3", goto: vip }
              - { after: 2d, goto: end }
          echo:
            emit: { event: click, properties: { n: "count('click', 1)" } }
            then:
              - { on: click, if: "count('click', 1) < 20", goto: echo }
              - { after: 1d, goto: greet }
          vip:
            set: { vip: "true", seen: ~ }
            emit: [ { event: opt_in }, { event: visit } ]
            then:
              - { on: opt_in, if: "customer.vip == true && customer.seen == null", goto: end }
              - { after: 1d, goto: end }
        """;

    public static TheoryData<string> Journeys => new() { "spec", "promo", "winback", "habit", "sla", "actions" };

    [Theory]
    [MemberData(nameof(Journeys))]
    public void RuntimeAndReference_RandomInputs_AgreeAfterEveryInput(string name)
    {
        var yaml = name switch
        {
            "spec" => SpecJourneys.Nurture,
            "promo" => Promo,
            "winback" => Winback,
            "sla" => Sla,
            "actions" => Actions,
            _ => Habit,
        };
        var catalog = Sim.Load(yaml);
        var alphabet = Alphabet(catalog);
        var random = new Random(name.Aggregate(7919, (seed, c) => (seed * 31) + c)); // stable across runs, unlike string.GetHashCode
        for (var i = 0; i < CasesPerJourney; i++)
        {
            var inputs = RandomInputs(random, alphabet, Durations(yaml));
            Check(catalog, $"{name}-{i}", inputs);
        }
    }

    [Fact]
    public void RuntimeAndReference_RandomJourneysAndInputs_AgreeAfterEveryInput()
    {
        var random = new Random(424242);
        var loaded = 0;
        for (var j = 0; j < 60; j++)
        {
            var yaml = RandomJourney(random, j);
            var catalog = JourneyLoader.LoadYaml(("random.yaml", yaml));
            Assert.False(catalog.HasErrors, yaml + "\n" + string.Join("\n", catalog.Diagnostics));
            loaded++;
            var alphabet = Alphabet(catalog);
            for (var i = 0; i < 10; i++)
            {
                Check(catalog, $"r{j}-{i}", RandomInputs(random, alphabet, Durations(yaml)), yaml);
            }
        }

        Assert.Equal(60, loaded);
    }

    [Fact]
    public void RuntimeAndReference_SpecJourneyKnownTimeline_AgreeOnIt()
    {
        // A sanity check of the harness itself: the spec's reminder path, both sides, exact.
        var catalog = Sim.Load(SpecJourneys.Nurture);
        var inputs = new List<Input> { Input.Event("signed_up"), Input.Advance(TimeSpan.FromDays(100)) };

        var (runtime, reference) = Drive(catalog, "c1", inputs);

        Assert.Equal(10, reference.Decisions.Count);
        Assert.Equal(reference.Decisions, runtime.Decisions);
        Assert.Equal(("completed", "completed"), (runtime.State, reference.State));
    }

    [Fact]
    public void RuntimeAndReference_TimerBackToItsOwnStep_BothRestartTheStepEachDay()
    {
        var catalog = Sim.Load(Habit);
        var inputs = new List<Input> { Input.Event("click"), Input.Advance(TimeSpan.FromDays(2)), Input.Event("visit"), Input.Advance(TimeSpan.FromHours(6)) };

        var (runtime, reference) = Drive(catalog, "c1", inputs);

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered watch (on click)",
            "2026-01-06T10:00:00Z c1 moved watch from watch (after 1d)",
            "2026-01-07T10:00:00Z c1 moved watch from watch (after 1d)",
            "2026-01-07T10:00:00Z c1 moved judge from watch (on visit)",
            "2026-01-07T10:00:00Z c1 sent judge push:habit/judge",
            "2026-01-07T16:00:00Z c1 moved watch from judge (after 6h)",
        ], Sim.Lines(runtime.All));
        Assert.Equal(reference.Decisions, runtime.Decisions);
        Assert.Equal(("step:watch", "step:watch"), (runtime.State, reference.State));
    }

    // ---- the property ----------------------------------------------------------------------------------------------

    private static void Check(JourneyCatalog catalog, string customer, List<Input> inputs, string? journeyText = null)
    {
        if (FirstDivergence(catalog, customer, inputs) is null)
        {
            return;
        }

        var minimal = Shrink(catalog, customer, inputs);
        var (runtime, reference) = Drive(catalog, customer, minimal);
        var report = new StringBuilder()
            .AppendLine($"Runtime and reference disagree for customer '{customer}' of journey '{catalog.Journeys[0].Id}': {FirstDivergence(catalog, customer, minimal)}")
            .AppendLine("Minimal inputs (from " + Sim.At(Start) + "):")
            .AppendLine(string.Join(Environment.NewLine, minimal.Select(i => "  " + i)))
            .AppendLine($"Runtime   ({runtime.State}):")
            .AppendLine(string.Join(Environment.NewLine, runtime.All.Select(d => "  " + Sim.Line(d))))
            .AppendLine($"Reference ({reference.State}):")
            .AppendLine(string.Join(Environment.NewLine, reference.Decisions.Select(d => $"  {Sim.At(new DateTimeOffset(d.At, TimeSpan.Zero))} {d.Kind} {d.Step}")));
        if (journeyText is not null)
        {
            report.AppendLine("Journey:").AppendLine(journeyText);
        }

        Assert.Fail(report.ToString());
    }

    /// <summary>Null when both sides agree after every input; else what differed first.</summary>
    private static string? FirstDivergence(JourneyCatalog catalog, string customer, List<Input> inputs)
    {
        var runtime = new RuntimeUnderTest(catalog, customer);
        var reference = new ReferenceInterpreter(catalog, customer, Start.UtcTicks);
        var now = Start.UtcTicks;
        for (var i = 0; i < inputs.Count; i++)
        {
            now = inputs[i].Apply(runtime, reference, now);
            if (runtime.State != reference.State)
            {
                return $"after input {i + 1} ({inputs[i]}) the runtime is {runtime.State}, the reference {reference.State}";
            }

            if (!runtime.Decisions.SequenceEqual(reference.Decisions))
            {
                return $"after input {i + 1} ({inputs[i]}) the decisions differ";
            }
        }

        return null;
    }

    private static (RuntimeUnderTest Runtime, ReferenceInterpreter Reference) Drive(JourneyCatalog catalog, string customer, List<Input> inputs)
    {
        var runtime = new RuntimeUnderTest(catalog, customer);
        var reference = new ReferenceInterpreter(catalog, customer, Start.UtcTicks);
        var now = Start.UtcTicks;
        foreach (var input in inputs)
        {
            now = input.Apply(runtime, reference, now);
        }

        return (runtime, reference);
    }

    /// <summary>Drops inputs one at a time while the disagreement remains.</summary>
    private static List<Input> Shrink(JourneyCatalog catalog, string customer, List<Input> inputs)
    {
        var current = inputs;
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = 0; i < current.Count; i++)
            {
                var smaller = current.Where((_, k) => k != i).ToList();
                if (FirstDivergence(catalog, customer, smaller) is not null)
                {
                    current = smaller;
                    changed = true;
                    break;
                }
            }
        }

        return current;
    }

    // ---- inputs ----------------------------------------------------------------------------------------------------

    internal sealed record Input(string? EventType, TimeSpan By, string? Country, bool IsIdentify)
    {
        public static Input Event(string type) => new(type, TimeSpan.Zero, null, false);

        public static Input Advance(TimeSpan by) => new(null, by, null, false);

        public static Input Identify(string? country) => new(null, TimeSpan.Zero, country, true);

        public long Apply(RuntimeUnderTest runtime, ReferenceInterpreter reference, long now)
        {
            if (IsIdentify)
            {
                runtime.Identify("country", Country, now);
                reference.Identify("country", Country, now);
            }
            else if (EventType is { } type)
            {
                runtime.Event(type, now);
                reference.Event(type, now);
            }
            else
            {
                now += By.Ticks;
                runtime.AdvanceTo(now);
                reference.AdvanceTo(now);
            }

            return now;
        }

        public override string ToString() =>
            IsIdentify ? $"identify country={Country ?? "null"}" : EventType is { } t ? $"event {t}" : $"advance {By:g}";
    }

    /// <summary>Every event type the journey names, plus one it ignores.</summary>
    internal static string[] Alphabet(JourneyCatalog catalog)
    {
        var model = new RuntimeModel(catalog);
        return model.Journeys[0].EventTypes().Concat(catalog.Activity.Slots.Select(s => s.EventType)).Append("page_view")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The durations written in the journey (timers, windows, gaps), so random advances often land exactly on a
    /// due time, where ties between timers and events are decided.</summary>
    private static TimeSpan[] Durations(string yaml)
    {
        var found = System.Text.RegularExpressions.Regex.Matches(yaml, @"\b(\d+)([mhdw])\b")
            .Select(m => Duration.TryParse(m.Value, out var d, out _) ? d : TimeSpan.Zero)
            .Where(d => d > TimeSpan.Zero);
        return found.Distinct().Order().ToArray();
    }

    private static List<Input> RandomInputs(Random random, string[] alphabet, TimeSpan[] durations)
    {
        var count = random.Next(1, 36);
        var inputs = new List<Input>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            inputs.Add(roll switch
            {
                < 0.55 => Input.Event(alphabet[random.Next(alphabet.Length)]),
                < 0.75 when durations.Length > 0 => Input.Advance(durations[random.Next(durations.Length)]),
                < 0.80 => Input.Advance(TimeSpan.FromHours(random.Next(1, 73))),
                < 0.93 => Input.Advance(TimeSpan.FromDays(random.Next(1, 41))),
                _ => Input.Identify(random.Next(3) switch { 0 => "test", 1 => "fr", _ => null }),
            });
        }

        return inputs;
    }

    // ---- random journeys ---------------------------------------------------------------------------------------------

    private static readonly string[] Events = ["a", "b", "c", "d"];

    private static readonly string[] Guards =
    [
        "count('b', 2) >= 1",
        "count('c', 1) == 0",
        "daysSince(lastSeen('d')) < 1",
        "hoursSince(lastSeen('a')) >= 30",
        "customer.country == 'fr'",
        "count('a', 7) >= 2 || count('d', 3) >= 1",
    ];

    private static readonly string[] Timers = ["6h", "1d", "2d", "3d", "36h"];

    /// <summary>A small journey of 2-5 steps with every kind of transition. Arrival branches (if, goto, split) only lead
    /// forward, so arrival never loops; events and timers lead anywhere.</summary>
    internal static string RandomJourney(Random random, int index)
    {
        string Pick(string[] xs) => xs[random.Next(xs.Length)];
        var steps = random.Next(2, 6);
        string Anywhere() => random.Next(steps + 1) is var k && k == steps ? "end" : $"s{k}";
        string Forward(int from) => random.Next(from + 1, steps + 1) is var k && k == steps ? "end" : $"s{k}";
        var text = new StringBuilder()
            .AppendLine($"journey: random-{index}")
            .AppendLine(CultureInfo.InvariantCulture, $"version: {random.Next(1, 4)}")
            .AppendLine(random.Next(4) == 0 ? $"entry: {{ on: a, if: \"{Pick(Guards)}\" }}" : "entry: { on: a }")
            .AppendLine($"reentry: {Pick(["never", "always", "2d"])}");
        if (random.Next(2) == 0)
        {
            text.AppendLine("exit:").AppendLine("  - on: x");
            if (random.Next(2) == 0)
            {
                text.AppendLine($"    if: \"{Pick(Guards)}\"");
            }
        }

        if (random.Next(2) == 0)
        {
            text.AppendLine("goal:").AppendLine("  on: g");
            if (random.Next(3) > 0)
            {
                text.AppendLine($"  within: {Pick(["1d", "3d", "10d"])}");
            }

            text.AppendLine($"  exit: {(random.Next(2) == 0 ? "true" : "false")}");
        }

        text.AppendLine("start: s0").AppendLine("steps:");
        for (var i = 0; i < steps; i++)
        {
            text.AppendLine($"  s{i}:");
            var sends = random.Next(3);
            if (sends > 0)
            {
                text.AppendLine("    send:");
                for (var k = 0; k < sends; k++)
                {
                    text.AppendLine($"      - {{ channel: {Pick(["push", "email", "sms"])}, template: t/s{i}-{k} }}");
                }
            }

            var transitions = random.Next(5);
            if (transitions == 0)
            {
                continue;
            }

            text.AppendLine("    then:");
            for (var k = 0; k < transitions; k++)
            {
                switch (random.Next(5))
                {
                    case 0:
                        text.AppendLine($"      - on: {Pick(Events)}");
                        if (random.Next(3) == 0)
                        {
                            text.AppendLine($"        if: \"{Pick(Guards)}\"");
                        }

                        text.AppendLine($"        goto: {Anywhere()}");
                        break;
                    case 1:
                        switch (random.Next(4))
                        {
                            case 0:
                                // From entry, once due, it is taken on arrival: forward only, as arrival branches.
                                text.AppendLine($"      - after: {Pick(Timers)}").AppendLine("        from: entry").AppendLine($"        goto: {Forward(i)}");
                                continue;
                            case 1:
                                var days = random.Next(2) == 0 ? "" : $", days: [{string.Join(", ", new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.Where(_ => random.Next(3) > 0).DefaultIfEmpty("sun"))}]";
                                text.AppendLine(CultureInfo.InvariantCulture, $"      - until: {{ at: \"{random.Next(24):00}:{random.Next(2) * 30:00}\"{days} }}");
                                break;
                            default:
                                text.AppendLine($"      - after: {Pick(Timers)}");
                                break;
                        }

                        text.AppendLine($"        goto: {Anywhere()}");
                        break;
                    case 2:
                        text.AppendLine($"      - if: \"{Pick(Guards)}\"").AppendLine($"        goto: {Forward(i)}");
                        break;
                    case 3:
                        text.AppendLine($"      - goto: {Forward(i)}");
                        break;
                    default:
                        var branches = Enumerable.Range(0, random.Next(2, 4)).Select(_ => $"{{ weight: {random.Next(1, 6)}, goto: {Forward(i)} }}");
                        text.AppendLine($"      - split: [ {string.Join(", ", branches)} ]");
                        break;
                }
            }
        }

        return text.ToString();
    }
}
