using Journeys.Language.Expressions;
using Journeys.State;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary>Equality, boolean operators, <c>if()</c>, the customer's built-in names and rule references.</summary>
public sealed class LogicTests
{
    [Theory]
    [InlineData("gold", true)]
    [InlineData("Gold", false)]
    [InlineData("gold ", false)]
    [InlineData("silver", false)]
    public void StringEquality_IsExactAndCaseSensitive(string tier, bool equal)
    {
        Assert.Equal(equal, HoldsFor("customer.level == 'gold'", ("level", tier)));
        Assert.Equal(!equal, HoldsFor("customer.level != 'gold'", ("level", tier)));
    }

    [Fact]
    public void NumberEquality_IntegerTraitAndDecimalLiteral_AreEqual()
    {
        Assert.True(HoldsFor("customer.orders == 5.0", ("orders", 5)));
    }

    [Fact]
    public void StringAndNumber_OfTheSameDigits_AreNotEqual()
    {
        Assert.False(HoldsFor("customer.code == 5", ("code", "5")));
        Assert.True(HoldsFor("customer.code != 5", ("code", "5")));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void AndOr_BothSpellings_FollowTheTruthTable(bool a, bool b)
    {
        (string, object?)[] traits = [("a", a), ("b", b)];

        Assert.Equal(a && b, HoldsFor("customer.a && customer.b", traits));
        Assert.Equal(a && b, HoldsFor("customer.a and customer.b", traits));
        Assert.Equal(a || b, HoldsFor("customer.a || customer.b", traits));
        Assert.Equal(a || b, HoldsFor("customer.a or customer.b", traits));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Not_BothSpellings_Negate(bool a)
    {
        Assert.Equal(!a, HoldsFor("not customer.a", ("a", a)));
        Assert.Equal(!a, HoldsFor("!customer.a", ("a", a)));
    }

    [Fact]
    public void Or_WithMissingTrait_IsDecidedByTheOtherSide()
    {
        Assert.True(HoldsFor("customer.missing == 1 || customer.vip == true", ("vip", true)));
        Assert.False(HoldsFor("customer.missing == 1 && customer.vip == true", ("vip", true)));
    }

    [Fact]
    public void Condition_NonBooleanTrait_IsNotTrue()
    {
        Assert.False(HoldsFor("customer.flag", ("flag", "yes")));
        Assert.False(HoldsFor("customer.flag", ("flag", 1)));
        Assert.True(HoldsFor("customer.flag", ("flag", true)));
    }

    [Theory]
    [InlineData(true, "gold")]
    [InlineData(false, "basic")]
    public void If_PicksTheBranchOfItsCondition(bool vip, string expected)
    {
        Assert.True(HoldsFor($"if(customer.vip == true, 'gold', 'basic') == '{expected}'", ("vip", vip)));
    }

    [Fact]
    public void If_WithMissingCondition_TakesTheElseBranch()
    {
        Assert.True(HoldsFor("if(customer.vip, 1, 2) == 2"));
    }

    [Fact]
    public void Ternary_PicksTheBranchOfItsCondition()
    {
        Assert.True(HoldsFor("(customer.vip ? 10 : 20) == 10", ("vip", true)));
    }

    [Fact]
    public void MinMaxAbs_ComputeOnNumbers()
    {
        Assert.True(HoldsFor("max(customer.a, 3) == 5 && min(customer.a, 3) == 3 && abs(0 - customer.a) == 5", ("a", 5)));
    }

    [Fact]
    public void Arithmetic_FollowsPrecedence()
    {
        Assert.True(HoldsFor("customer.a + 2 * 3 == 7 && (customer.a + 2) * 3 == 9 && customer.a % 2 == 1", ("a", 1)));
    }

    [Fact]
    public void StringConcatenation_OfLiterals_JoinsThem()
    {
        Assert.True(HoldsFor("'Ada' + ' ' + 'Lovelace' == 'Ada Lovelace'"));
    }

    [Fact]
    public void StringConcatenation_OfTraitsAndLiterals_JoinsThem()
    {
        Assert.True(HoldsFor("customer.first + ' ' + customer.last == 'Ada Lovelace'", ("first", "Ada"), ("last", "Lovelace")));
    }

    [Fact]
    public void BracketForm_ReadsTheSameTraitAsTheDottedForm()
    {
        Assert.True(HoldsFor("[customer.level] == 'gold' && customer.level == [customer.level]", ("level", "gold")));
    }

    [Fact]
    public void CustomerBuiltIns_ReadIdTierAndTimeZone()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("customer.id == 'c1' && customer.tier == 'high-value' && customer.timeZone == 'Test/Plus8'");
        var customer = harness.Customer();
        customer.SetTier(ExpressionHarness.Registry, "high-value");
        customer.SetTimeZone(ExpressionHarness.Registry, TimeZoneInfo.CreateCustomTimeZone("Test/Plus8", TimeSpan.FromHours(8), "Test", "Test"));

        Assert.True(Holds(expression, customer));
    }

    [Fact]
    public void Customer_NewlyCreated_HasTheDefaultTierAndUtc()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("customer.tier == 'default' && customer.timeZone == 'UTC'");

        Assert.True(Holds(expression, harness.Customer()));
    }

    [Fact]
    public void EventTypeAndProperties_AreReadFromTheEventAtHand()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("event.type == 'order_completed' && event.total >= 50 && event.express == true");
        var customer = harness.Customer();
        var big = new CustomerEvent("c1", "order_completed", Now, new Dictionary<string, object?> { ["total"] = 75.5m, ["express"] = true });
        var small = new CustomerEvent("c1", "order_completed", Now, new Dictionary<string, object?> { ["total"] = 20, ["express"] = true });

        Assert.True(Holds(expression, customer, big));
        Assert.False(Holds(expression, customer, small));
    }

    [Fact]
    public void Rule_Resolved_AsksTheRuleEvaluatorWithItsIndex()
    {
        var harness = new ExpressionHarness(name => name == "Tiers.HighValue" ? 7 : null);
        var expression = harness.Compile("rule('Tiers.HighValue')");
        var customer = harness.Customer();
        var rules = new RecordingRules(result: true);

        Assert.True(expression.IsTrue(Context(customer, rules: rules)));
        Assert.Equal([7], rules.Asked);
    }

    [Fact]
    public void Rule_WithNoRuleEvaluator_DoesNotHold()
    {
        var harness = new ExpressionHarness(_ => 0);
        var expression = harness.Compile("rule('Tiers.HighValue')");

        Assert.False(Holds(expression, harness.Customer()));
    }

    [Fact]
    public void Compiled_KeepsTheSourceTextExactlyAsWritten()
    {
        var harness = new ExpressionHarness();
        const string text = "customer.level  ==  'gold'";

        JourneyExpression expression = harness.Compile(text);

        Assert.Equal(text, expression.Text);
        Assert.Equal(text, expression.ToString());
    }

    private sealed class RecordingRules(bool result) : IRuleEvaluator
    {
        public List<int> Asked { get; } = [];

        public bool Evaluate(int ruleIndex, CustomerState customer, out RuleFailure? failure)
        {
            failure = null;
            Asked.Add(ruleIndex);
            return result;
        }
    }
}
