using Journeys.Inspection;
using Journeys.Language.Graph;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Graph;

/// <summary><c>journeys graph</c>'s diagrams: steps, transitions with their labels (<c>on x</c>, <c>after 7d</c>,
/// <c>if ...</c>, split weights), entry and exits. The spec journey's Mermaid text is approved in Approved/.</summary>
public sealed class JourneyGraphTests
{
    private static JourneyInfo SpecJourney => JourneyLoader.LoadYaml(("journey.yaml", SpecDocument.Journey)).ThrowIfInvalid().Journeys.Single();

    private static JourneyInfo Load(string yaml)
    {
        var catalog = Diagnose.Load(yaml);
        Diagnose.NoErrors(catalog);
        return catalog.Journeys.Single();
    }

    private static string[] Lines(string text) => text.Split('\n');

    [Fact]
    public void Mermaid_SpecJourney_MatchesTheApprovedText()
    {
        var approvedPath = Path.Combine(AppContext.BaseDirectory, "Graph", "Approved", "new-customer-nurture.mermaid.txt");
        var approved = File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal);

        var received = JourneyGraph.ToMermaid(SpecJourney);

        if (received != approved)
        {
            File.WriteAllText(Path.ChangeExtension(approvedPath, ".received.txt"), received);
        }

        Assert.Equal(approved, received);
    }

    [Fact]
    public void Mermaid_SpecJourney_IsAStateDiagramWithTheStepsInsideTheJourney()
    {
        var text = JourneyGraph.ToMermaid(SpecJourney);

        Assert.StartsWith("stateDiagram-v2\n\tstate in_journey {\n\t\tguide\n\t\tconsult\n\t\ttips\n\t\treminder\n\t\tsurvey\n\t}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\tguide --> consult : after 7d")]
    [InlineData("\tconsult --> tips : on consult_completed")]
    [InlineData("\tconsult --> tips : after 21d")]
    [InlineData("\ttips --> reminder : if [count('app_open', 14) == 0]")]
    [InlineData("\ttips --> survey : after 30d")]
    [InlineData("\treminder --> survey : after 30d")]
    public void Mermaid_SpecJourney_HasEachTransitionWithItsLabel(string edge)
    {
        Assert.Contains(edge, Lines(JourneyGraph.ToMermaid(SpecJourney)));
    }

    [Theory]
    [InlineData("[*] --> not_entered")]
    [InlineData("\tnot_entered --> guide : entry: on signed_up [customer.country != 'test']")]
    public void Mermaid_SpecJourney_DrawsTheEntryWithItsGuard(string edge)
    {
        Assert.Contains(edge, Lines(JourneyGraph.ToMermaid(SpecJourney)));
    }

    [Theory]
    [InlineData("\tin_journey --> exited : exit: on unsubscribed")]
    [InlineData("\tin_journey --> exited : exit: on account_closed")]
    [InlineData("\tin_journey --> converted : goal: on order_completed [within 60d]")]
    [InlineData("\tsurvey --> completed : done")]
    [InlineData("\tcompleted --> [*]")]
    [InlineData("\texited --> [*]")]
    [InlineData("\tconverted --> [*]")]
    public void Mermaid_SpecJourney_DrawsExitsGoalAndCompletion(string edge)
    {
        Assert.Contains(edge, Lines(JourneyGraph.ToMermaid(SpecJourney)));
    }

    [Fact]
    public void Mermaid_Split_LabelsEachBranchWithItsShare()
    {
        var journey = Load("""
            journey: split
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - split: [ { weight: 90, goto: b }, { weight: 10, goto: holdout } ]
              b:
              holdout:
            """);

        var lines = Lines(JourneyGraph.ToMermaid(journey));

        Assert.Contains("\ta --> b : split [90%]", lines);
        Assert.Contains("\ta --> holdout : split [10%]", lines);
    }

    [Fact]
    public void Mermaid_UnevenSplit_RoundsSharesToTwoDecimals()
    {
        var journey = Load("""
            journey: thirds
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - split: [ { weight: 1, goto: b }, { weight: 2, goto: end } ]
              b:
            """);

        var lines = Lines(JourneyGraph.ToMermaid(journey));

        Assert.Contains("\ta --> b : split [33.33%]", lines);
        Assert.Contains("\ta --> completed : split [66.67%]", lines);
    }

    [Fact]
    public void Mermaid_GotoEnd_LeadsToCompleted()
    {
        var journey = Load("""
            journey: ends
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - after: 12h
                    goto: end
            """);

        Assert.Contains("\ta --> completed : after 12h", Lines(JourneyGraph.ToMermaid(journey)));
    }

    [Fact]
    public void Mermaid_StepNamedLikeAPseudoState_KeepsBothApart()
    {
        var journey = Load("""
            journey: clash
            entry: { on: signed_up }
            start: completed
            steps:
              completed:
                then:
                  - after: 1d
                    goto: end
            """);

        var lines = Lines(JourneyGraph.ToMermaid(journey));

        Assert.Contains("\tcompleted --> completed_ : after 1d", lines);
        Assert.Contains("\tcompleted_ --> [*]", lines);
    }

    [Fact]
    public void Mermaid_WhenEntry_IsLabelledWithItsCondition()
    {
        var journey = Load("""
            journey: boost
            entry:
              when: "count('interaction', 30) >= 2"
            start: a
            steps:
              a:
            """);

        Assert.Contains("\tnot_entered --> a : entry: when count('interaction', 30) >= 2", Lines(JourneyGraph.ToMermaid(journey)));
    }

    [Fact]
    public void Mermaid_InactiveEntry_IsLabelledWithDurationAndEvents()
    {
        var journey = Load("""
            journey: winback
            entry:
              inactive: { for: 90d, of: [login, order_completed] }
            start: a
            steps:
              a:
            """);

        Assert.Contains("\tnot_entered --> a : entry: inactive 90d of login, order_completed", Lines(JourneyGraph.ToMermaid(journey)));
    }

    [Fact]
    public void Mermaid_GoalThatDoesNotExit_HasNoConvertedEnd()
    {
        var journey = Load("""
            journey: keep
            entry: { on: signed_up }
            goal: { on: order_completed, exit: false }
            start: a
            steps:
              a:
            """);

        Assert.DoesNotContain("\tconverted --> [*]", Lines(JourneyGraph.ToMermaid(journey)));
    }

    [Fact]
    public void Mermaid_JourneyWithoutExits_HasNoExitedEnd()
    {
        var journey = Load("""
            journey: plain
            entry: { on: signed_up }
            start: a
            steps:
              a:
            """);

        var lines = Lines(JourneyGraph.ToMermaid(journey));

        Assert.DoesNotContain(lines, l => l.Contains("exited", StringComparison.Ordinal));
        Assert.Contains("\tcompleted --> [*]", lines);
    }

    [Fact]
    public void Dot_SpecJourney_IsADigraphWithLabelledEdges()
    {
        var text = JourneyGraph.ToDot(SpecJourney);

        Assert.StartsWith("digraph {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var lines = Lines(text);
        Assert.Contains("\"guide\" -> \"consult\" [style=\"solid\", label=\"after 7d\"];", lines);
        Assert.Contains("\"tips\" -> \"reminder\" [style=\"solid\", label=\"if [count('app_open', 14) == 0]\"];", lines);
        Assert.Contains("\"guide\" -> \"exited\" [ltail=\"clusterin_journey\", style=\"solid\", label=\"exit: on unsubscribed\"];", lines);
        Assert.Contains("\"not_entered\" -> \"guide\" [style=\"solid\", label=\"entry: on signed_up [customer.country != 'test']\"];", lines);
    }

    [Fact]
    public void Dot_ExitsAndGoal_AreDrawnFromTheStepsClusterNotFromADetachedBox()
    {
        var lines = Lines(JourneyGraph.ToDot(SpecJourney));

        Assert.DoesNotContain(lines, l => l.Contains("\"in_journey\" ->", StringComparison.Ordinal) || l.Contains("-> \"in_journey\"", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Contains("label=\"exit: ", StringComparison.Ordinal) || l.Contains("label=\"goal: ", StringComparison.Ordinal)),
            l => Assert.StartsWith("\"guide\" -> ", l, StringComparison.Ordinal));
        Assert.Contains("compound=true;", lines);
    }

    [Fact]
    public void Graph_SameJourneyTwice_IsTheSameText()
    {
        Assert.Equal(JourneyGraph.ToMermaid(SpecJourney), JourneyGraph.ToMermaid(SpecJourney));
        Assert.Equal(JourneyGraph.ToDot(SpecJourney), JourneyGraph.ToDot(SpecJourney));
    }

    [Fact]
    public void Mermaid_UnusualStepNames_GetPlainIdsAndTheirNamesAsDescriptions()
    {
        var journey = Load("""
            journey: odd-names
            version: 1
            entry: { on: a }
            start: "x y"
            steps:
              "x y":
                then: [ { on: b, goto: "q\"[z]" } ]
              "q\"[z]":
                then: [ { on: c, goto: "state" } ]
              "state":
                then: [ { on: d, goto: "a: b --> c" } ]
              "a: b --> c":
                then: [ { on: e, goto: last } ]
              last:
                then: [ { on: f, goto: end } ]
            """);

        var lines = Lines(JourneyGraph.ToMermaid(journey));

        // Every state id Mermaid reads is a plain word; the names are descriptions with entity codes.
        var edges = lines.Where(l => l.Contains(" --> ", StringComparison.Ordinal)).ToArray();
        Assert.All(edges, e => Assert.Matches(@"^\t?(\[\*\]|[\w-]+) --> (\[\*\]|[\w-]+)( : .*)?$", e));
        Assert.Contains("\tstep_2 : q#quot;[z]", lines);
        Assert.Contains("\tstep_3 : state", lines);
        Assert.Contains("\tstep_1 : a#58; b --#gt; c", lines);
        Assert.Contains("\txy : x y", lines); // a name with spaces only: Stateless's own id and description
        Assert.Contains("\tstep_2 --> step_3 : on c", lines);
        Assert.Contains("\tstep_3 --> step_1 : on d", lines);
    }
}
