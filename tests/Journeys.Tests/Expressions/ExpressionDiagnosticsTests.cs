using Journeys.Diagnostics;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.Snippets;

namespace Journeys.Tests.Expressions;

/// <summary>"A name that is not in scope, a type error or a syntax error is a load error with file, line and column" —
/// the column of what the operator wrote, also after dotted names are rewritten to NCalc's bracket form.</summary>
public sealed class ExpressionDiagnosticsTests
{
    [Theory]
    [InlineData("customer.tier == == 'x'", "j.yaml:4:25")]        // after 'customer.tier' became '[customer.tier]'
    [InlineData("[customer.tier] == == 'x'", "j.yaml:4:27")]      // the bracket form, written as such
    [InlineData("customer.a == 1 && event.b == == 2", "j.yaml:4:38")] // two rewritten names before the error
    [InlineData("customer.a < 1 ||", "j.yaml:4:25")]              // at the end of the expression
    [InlineData("(customer.a < 1", "j.yaml:4:23")]
    [InlineData("customer.a == 1)", "j.yaml:4:23")]
    [InlineData("customer..a == 1", "j.yaml:4:18")]
    public void SyntaxError_Anywhere_IsReportedAtTheColumnTheOperatorWrote(string expression, string location)
    {
        var d = Diagnose.Single(Guard(expression), Diagnose.Error, DiagnosticCodes.ExpressionSyntax, location);

        Assert.StartsWith("expression syntax error: ", d.Message, StringComparison.Ordinal);
        Assert.EndsWith($" in \"{expression}\"", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_DoubledOperator_SaysWhatWasUnexpected()
    {
        var d = Diagnose.Single(Guard("customer.tier == == 'x'"), Diagnose.Error, DiagnosticCodes.ExpressionSyntax, "j.yaml:4:25");

        Assert.Equal("expression syntax error: no viable alternative at input '==' in \"customer.tier == == 'x'\"", d.Message);
    }

    [Fact]
    public void SyntaxError_NCalcRecoversAndReportsMore_IsOneLineAtTheFirstError()
    {
        // NCalc's message has one line per error it recovered from ('%', then ')'): the first is the operator's mistake.
        var d = Diagnose.Single(Guard("(1 + %) - - 2 == 1"), Diagnose.Error, DiagnosticCodes.ExpressionSyntax, "j.yaml:4:13");

        Assert.Equal("expression syntax error: no viable alternative at input '%' in \"(1 + %) - - 2 == 1\"", d.Message);
        Assert.DoesNotContain('\n', d.ToString());
    }

    [Fact]
    public void SyntaxError_InAMultiLineExpression_IsOneLine()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              on: signed_up
              if: |
                customer.a == 1 &&
                customer.b == == 2
            start: a
            steps:
              a:
            """);

        var d = Assert.Single(catalog.Diagnostics);
        Assert.Equal(DiagnosticCodes.ExpressionSyntax, d.Code);
        Assert.DoesNotContain('\n', d.ToString());
        Assert.Contains("in \"customer.a == 1 && customer.b == == 2", d.Message, StringComparison.Ordinal); // lines joined by spaces
    }

    [Fact]
    public void EmptyExpression_IsASyntaxErrorAtItsStart()
    {
        var d = Diagnose.Single(Guard(""), Diagnose.Error, DiagnosticCodes.ExpressionSyntax, "j.yaml:4:8");

        Assert.Equal("expression is empty", d.Message);
    }

    [Fact]
    public void Expression_WrittenAsAList_IsAnInvalidValue()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              on: signed_up
              if: [a, b]
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:4:7");
    }

    [Fact]
    public void UnknownName_Bare_SuggestsTheCustomerTrait()
    {
        var d = Diagnose.Single(Guard("foo == 1"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:8");

        Assert.Equal("unknown name 'foo' (did you mean 'customer.foo'?): names in scope are customer.<trait>, customer.id, customer.tier, customer.timeZone, event.type, event.<property>", d.Message);
    }

    [Fact]
    public void UnknownName_MisspelledCustomer_SuggestsCustomer()
    {
        var d = Diagnose.Single(Guard("custmer.tier == 'gold'"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:8");

        Assert.StartsWith("unknown name 'custmer.tier' (did you mean 'customer.tier'?)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownName_AfterADottedName_IsReportedAtItsOwnColumn()
    {
        Diagnose.Single(Guard("customer.tier == 'gold' && custmer.tier == 'x'"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:35");
    }

    [Fact]
    public void UnknownName_MemberOfATrait_DoesNotSuggestItself()
    {
        var d = Diagnose.Single(Guard("customer.id.Length > 0"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:8");

        Assert.DoesNotContain("did you mean 'customer.id.Length'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventName_InWhenEntry_IsNotInScope()
    {
        var d = Diagnose.Single(When("event.plan == 'pro'"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:3:10");

        Assert.Equal("'event.plan' is not in scope: no event is at hand here (event.* is available in entry 'on', 'on' transitions, exits and goals)", d.Message);
    }

    [Fact]
    public void EventName_InArrivalBranch_IsNotInScope()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then:
                  - if: "customer.vip == true && event.type == 'x'"
                    goto: end
                  - after: 1d
                    goto: end
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:7:38");
    }

    [Fact]
    public void EventName_InOnTransitionExitAndGoalGuards_IsInScope()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry: { on: signed_up, if: "event.plan == 'pro'" }
            exit:
              - { on: unsubscribed, if: "event.reason != 'mistake'" }
            goal: { on: order_completed, if: "event.total >= 50" }
            start: a
            steps:
              a:
                then:
                  - { on: clicked, if: "event.type == 'clicked'", goto: end }
            """);

        Diagnose.Clean(catalog);
    }

    [Theory]
    [InlineData("'high' > 3", "j.yaml:4:8", "type error: '>' cannot compare a string with a number in \"'high' > 3\"")]
    [InlineData("count('x', 7) == 'a'", "j.yaml:4:8", "type error: '==' cannot compare a number with a string in \"count('x', 7) == 'a'\"")]
    [InlineData("customer.a == 1 && count('x', 7) == 'a'", "j.yaml:4:27", "type error: '==' cannot compare a number with a string in \"customer.a == 1 && count('x', 7) == 'a'\"")]
    [InlineData("true < false", "j.yaml:4:8", "type error: '<' cannot order booleans in \"true < false\"")]
    [InlineData("daysSince(3) > 1", "j.yaml:4:18", "type error: daysSince() takes a timestamp or an ISO 8601 string, not a number")]
    [InlineData("not 5", "j.yaml:4:12", "type error: 'not' needs true or false, not a number")]
    public void TypeError_IncompatibleOperands_IsReportedAtTheOffendingOperand(string expression, string location, string message)
    {
        var d = Diagnose.Single(Guard(expression), Diagnose.Error, DiagnosticCodes.TypeError, location);

        Assert.Equal(message, d.Message);
    }

    [Theory]
    [InlineData("1 + 2", "number")]
    [InlineData("count('app_open', 14)", "number")]
    [InlineData("'yes'", "string")]
    [InlineData("lastSeen('login')", "timestamp")]
    public void TypeError_ConditionThatIsNotBoolean_IsReportedAtTheStartOfTheCondition(string expression, string type)
    {
        var d = Diagnose.Single(Guard(expression), Diagnose.Error, DiagnosticCodes.TypeError, "j.yaml:4:8");

        Assert.Equal($"type error: a condition must be true or false, but \"{expression}\" is a {type}", d.Message);
    }

    [Fact]
    public void Count_WithOneArgument_IsAnArityErrorAtTheCall()
    {
        var d = Diagnose.Single(Guard("count('x') == 1"), Diagnose.Error, DiagnosticCodes.TypeError, "j.yaml:4:8");

        Assert.Equal("count() takes 2 argument(s), not 1: count('type', days)", d.Message);
    }

    [Fact]
    public void Count_EventTypeNotALiteral_IsReportedAtTheArgument()
    {
        Diagnose.Single(Guard("count(customer.t, 7) == 1"), Diagnose.Error, DiagnosticCodes.TypeError, "j.yaml:4:14");
    }

    [Fact]
    public void Count_ZeroDays_IsReportedAtTheDays()
    {
        var d = Diagnose.Single(Guard("count('x', 0) == 1"), Diagnose.Error, DiagnosticCodes.InvalidValue, "j.yaml:4:19");

        Assert.Equal("count() needs a number of days between 1 and 3660, not 0", d.Message);
    }

    [Fact]
    public void UnknownFunction_WrongCase_SuggestsTheLanguagesFunction()
    {
        var d = Diagnose.Single(Guard("Count('x', 7) > 1"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:8");

        Assert.StartsWith("unknown function 'Count' (did you mean 'count'?): functions are count('type', days), sum('type', 'property', days), lastSeen('type')", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_NotLoaded_IsAnUnknownRuleAtItsName()
    {
        var d = Diagnose.Single(Guard("rule('Tiers.HighValue')"), Diagnose.Error, DiagnosticCodes.UnknownRule, "j.yaml:4:13");

        Assert.Equal("unknown rule 'Tiers.HighValue': rules are named 'Workflow.Rule' after a workflow in rules/*.json", d.Message);
    }

    [Fact]
    public void Expression_InLiteralBlockScalar_IsReportedOnTheLineAndColumnOfTheName()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: |
                count('a', 7) >= 2 &&
                  foo == 1
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:5:7");
    }

    [Fact]
    public void Expression_InFoldedBlockScalar_IsReportedOnTheLineAndColumnOfTheName()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: >-
                count('a', 7) >= 2 &&
                foo == 1
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:5:5");
    }

    [Fact]
    public void Expression_InQuotedStringOverTwoLines_IsReportedOnTheLineAndColumnOfTheName()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: "count('a', 7) >= 2 &&
                foo == 1"
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:5");
    }

    [Fact]
    public void Expression_InSingleQuotedYamlWithEscapedQuotes_IsReportedAtTheOperatorsColumn()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: 'customer.tier == ''gold'' && foo == 1'
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:3:39");
    }

    [Fact]
    public void Expression_Plain_IsReportedAtTheOperatorsColumn()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: customer.tier == 'gold' && foo == 1
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:3:36");
    }

    [Fact]
    public void SyntaxError_AtEndOfTwoLineExpression_IsReportedJustAfterItsLastCharacter()
    {
        var catalog = Diagnose.Load("""
            journey: x
            entry:
              when: "customer.a < 1 ||
                customer.b > 2 ||"
            start: a
            steps:
              a:
            """);

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.ExpressionSyntax, "j.yaml:4:22");
    }

    [Fact]
    public void Expression_InFileWithCrLfLineEnds_IsReportedAtTheSameLineAndColumn()
    {
        var catalog = Diagnose.Load("journey: x\r\nentry:\r\n  when: \"customer.tier == 'gold' && foo == 1\"\r\nstart: a\r\nsteps:\r\n  a:\r\n");

        Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:3:37");
    }

    [Fact]
    public void UnknownName_AfterAnEscapedQuoteInAString_IsReportedAtItsColumn()
    {
        // In the file: "customer.name == 'it\\'s' && foo == 1" (YAML turns \\ into \, NCalc reads \' as a quote).
        Diagnose.Single(Guard("customer.name == 'it\\\\'s' && foo == 1"), Diagnose.Error, DiagnosticCodes.UnknownName, "j.yaml:4:37");
    }
}
