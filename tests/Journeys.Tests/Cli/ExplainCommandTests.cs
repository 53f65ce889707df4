using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys explain &lt;folder&gt; --events FILE --user ID [--until ISO]</c>: the same run told for one customer,
/// each input and decision on its own line with why (the timer, the event, the branch, the rule).</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private static readonly string[] Events =
    [
        """{"type":"identify","userId":"c1","timestamp":"2026-01-05T09:00:00Z","traits":{"timeZone":"Asia/Shanghai","plan":"pro"}}""",
        """{"type":"track","userId":"c1","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c2","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c1","event":"consult_completed","timestamp":"2026-01-14T08:30:00Z","properties":{"agent":"ana"}}""",
        """{"type":"track","userId":"c2","event":"unsubscribed","timestamp":"2026-01-15T08:30:00Z"}""",
        """{"type":"track","userId":"c3","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""",
        """{"type":"track","userId":"c3","event":"order_completed","timestamp":"2026-01-06T10:00:00Z","properties":{"total":49.5}}""",
    ];

    private readonly SimulationFolder _folder = new(("nurture.yaml", SpecJourneys.Nurture));

    public void Dispose() => _folder.Dispose();

    private (int Exit, string Stdout, string Stderr) Explain(string user, string until = "2026-03-01T00:00:00Z") =>
        _folder.Run("explain", _folder.Journeys, "--events", _folder.Write("events.jsonl", Events), "--user", user, "--until", until);

    [Fact]
    public void Explain_OneCustomer_TellsEveryInputAndDecisionWithTheTimerEventOrBranchBehindIt()
    {
        var (exit, stdout, stderr) = Explain("c1");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(
            """
            Customer c1
            2026-01-05T09:00:00Z  identify timeZone=Asia/Shanghai plan=pro  (line 1)
            2026-01-05T10:00:00Z  event   signed_up  (line 2)
            2026-01-05T10:00:00Z    new-customer-nurture v1: entered at step 'guide' — entry on signed_up
            2026-01-05T10:00:00Z    new-customer-nurture v1: sent nurture/guide on push at step 'guide'
            2026-01-12T10:00:00Z    new-customer-nurture v1: moved 'guide' -> 'consult' — timer 'after 7d' fired
            2026-01-12T10:00:00Z    new-customer-nurture v1: sent nurture/consult-call on agent-task at step 'consult'
            2026-01-14T08:30:00Z  event   consult_completed agent=ana  (line 4)
            2026-01-14T08:30:00Z    new-customer-nurture v1: moved 'consult' -> 'tips' — event 'consult_completed' matched
            2026-01-14T08:30:00Z    new-customer-nurture v1: moved 'tips' -> 'reminder' — branch 'if count('app_open', 14) == 0' held on arrival
            2026-01-14T08:30:00Z    new-customer-nurture v1: sent nurture/reminder on sms at step 'reminder'
            2026-02-13T08:30:00Z    new-customer-nurture v1: moved 'reminder' -> 'survey' — timer 'after 30d' fired
            2026-02-13T08:30:00Z    new-customer-nurture v1: sent nurture/survey on email at step 'survey'
            2026-02-13T08:30:00Z    new-customer-nurture v1: completed at step 'survey' — the step has no 'then'

            """, stdout);
    }

    [Fact]
    public void Explain_CustomerWhoUnsubscribed_NamesTheExitRule()
    {
        var (exit, stdout, _) = Explain("c2");

        Assert.Equal(0, exit);
        Assert.EndsWith(
            """
            2026-01-15T08:30:00Z  event   unsubscribed  (line 5)
            2026-01-15T08:30:00Z    new-customer-nurture v1: exited at step 'consult' — exit:unsubscribed

            """, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_CustomerWhoConverted_NamesTheGoal()
    {
        var (exit, stdout, _) = Explain("c3");

        Assert.Equal(0, exit);
        Assert.EndsWith(
            """
            2026-01-06T10:00:00Z  event   order_completed total=49.5  (line 7)
            2026-01-06T10:00:00Z    new-customer-nurture v1: reached the goal at step 'guide' — goal:order_completed
            2026-01-06T10:00:00Z    new-customer-nurture v1: exited at step 'guide' — goal:order_completed

            """, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_OneCustomer_LeavesOtherCustomersOut()
    {
        var (_, stdout, _) = Explain("c2");

        Assert.DoesNotContain("line 2", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("c1", stdout, StringComparison.Ordinal);
        Assert.StartsWith("Customer c2\n2026-01-05T10:00:00Z  event   signed_up  (line 3)\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Until_EndsTheTimelineThere()
    {
        var (_, stdout, _) = Explain("c1", until: "2026-01-12T10:00:00Z");

        Assert.EndsWith("2026-01-12T10:00:00Z    new-customer-nurture v1: sent nurture/consult-call on agent-task at step 'consult'\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("line 4", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownUser_NamesTheFilesUsersOnStderrAndExits2LikeGraphsUnknownJourney()
    {
        var (exit, stdout, stderr) = Explain("nobody");

        Assert.Equal((2, "", "journeys: no event in the file is for user 'nobody'; users are c1, c2, c3\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void Explain_UnknownUserInAFileOfManyUsers_NamesTheFirstTenAndCountsTheRest()
    {
        var many = Enumerable.Range(1, 13).Select(i =>
            $$"""{"type":"track","userId":"u{{i}}","event":"signed_up","timestamp":"2026-01-05T10:00:00Z"}""").ToArray();

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", _folder.Write("many.jsonl", many), "--user", "nobody");

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Equal("journeys: no event in the file is for user 'nobody'; users are u1, u2, u3, u4, u5, u6, u7, u8, u9, u10 and 3 more\n", stderr);
    }

    [Fact]
    public void Explain_BadEventLine_ReportsItAndPrintsNoTimeline()
    {
        var events = _folder.Write("bad.jsonl", Events[1], """{"type":"track","userId":"c1","event":"x","timestamp":"2026-02-30T10:00:00Z"}""");

        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c1");

        Assert.Equal((1, ""), (exit, stdout));
        Assert.Equal($"{events}:2:55: \"timestamp\" '2026-02-30T10:00:00Z' is not an ISO 8601 timestamp\n", stderr);
    }

    [Fact]
    public void Explain_WhenEntryAndSplit_PrintTheConditionAsWrittenAndTheBranchsShareAsGraphDoes()
    {
        using var folder = new SimulationFolder(("boost.yaml", """
            journey: boost
            entry:
              when: "count('interaction', 30) >= 2"
            start: assign
            steps:
              assign:
                then:
                  - split:
                      - { weight: 90, goto: a }
                      - { weight: 10, goto: b }
              a:
              b:
            """));
        var events = folder.Write("events.jsonl",
            """{"type":"track","userId":"c1","event":"interaction","timestamp":"2026-01-05T10:00:00Z"}""",
            """{"type":"track","userId":"c1","event":"interaction","timestamp":"2026-01-06T10:00:00Z"}""");

        var (exit, stdout, _) = folder.Run("explain", folder.Journeys, "--events", events, "--user", "c1");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n');
        Assert.Contains("2026-01-06T10:00:00Z    boost v1: entered at step 'assign' — entry when count('interaction', 30) >= 2", lines);
        Assert.Contains(lines, l => l is "2026-01-06T10:00:00Z    boost v1: moved 'assign' -> 'a' — split branch 1/2 [90%]"
                                      or "2026-01-06T10:00:00Z    boost v1: moved 'assign' -> 'b' — split branch 2/2 [10%]");
    }

    [Fact]
    public void Explain_TimerAndEventAtTheSameInstant_TellsThemInTheOrderTheyWereProcessed()
    {
        using var folder = new SimulationFolder(
            ("policy.yaml", """
                policy:
                  tiers:
                    normal: "true"
                  quietHours: { from: "21:00", to: "08:00" }
                """),
            ("boost.yaml", """
                journey: boost
                entry: { on: browse }
                exit:
                  - on: unsubscribed
                start: recommend
                steps:
                  recommend:
                    send: { channel: push, template: boost/recs }
                    then:
                      - after: 7d
                        goto: end
                """));
        // 22:00 in Shanghai: the send waits for 08:00 local (00:00 UTC), the instant the customer unsubscribes.
        var events = folder.Write("events.jsonl",
            """{"type":"identify","userId":"c2","timestamp":"2026-01-12T00:00:00Z","traits":{"timeZone":"Asia/Shanghai"}}""",
            """{"type":"track","userId":"c2","event":"browse","timestamp":"2026-01-12T14:00:00Z"}""",
            """{"type":"track","userId":"c2","event":"unsubscribed","timestamp":"2026-01-13T00:00:00Z"}""");

        var (exit, stdout, _) = folder.Run("explain", folder.Journeys, "--events", events, "--user", "c2");

        Assert.Equal(0, exit);
        Assert.EndsWith(
            """
            2026-01-13T00:00:00Z    boost v1: sent boost/recs on push at step 'recommend'
            2026-01-13T00:00:00Z  event   unsubscribed  (line 3)
            2026-01-13T00:00:00Z    boost v1: exited at step 'recommend' — exit:unsubscribed

            """, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ControlCharactersInUserIdsAndTraits_AreEscapedNotPrintedRaw()
    {
        var events = _folder.Write("ctl.jsonl",
            """{"type":"identify","userId":"c\nx\u0007","timestamp":"2026-01-05T09:00:00Z","traits":{"name":"a\rb\u001b[31m","n\tk":"\u2028"}}""");

        var (exit, stdout, _) = _folder.Run("explain", _folder.Journeys, "--events", events, "--user", "c\nx\u0007");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            Customer c\nx\u0007
            2026-01-05T09:00:00Z  identify n\tk=\u2028 name=a\rb\u001b[31m  (line 1)

            """, stdout);
    }

    [Fact]
    public void Explain_NoUserOption_IsAUsageError()
    {
        var (exit, stdout, _) = _folder.Run("explain", _folder.Journeys, "--events", _folder.Write("events.jsonl", Events));

        Assert.Equal((2, ""), (exit, stdout));
    }
}
