using FsCheck;
using FsCheck.Xunit;
using Journeys.Language.Expressions;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary>For all inputs, compiled comparisons and boolean operators agree with C#'s (numbers include NaN, infinities
/// and -0); and every ordering with null is false.</summary>
public sealed class ComparisonPropertyTests
{
    private static readonly ExpressionHarness Harness = new();
    private static readonly JourneyExpression Less = Harness.Compile("customer.a < customer.b");
    private static readonly JourneyExpression LessOrEqual = Harness.Compile("customer.a <= customer.b");
    private static readonly JourneyExpression Greater = Harness.Compile("customer.a > customer.b");
    private static readonly JourneyExpression GreaterOrEqual = Harness.Compile("customer.a >= customer.b");
    private static readonly JourneyExpression Equal = Harness.Compile("customer.a == customer.b");
    private static readonly JourneyExpression NotEqual = Harness.Compile("customer.a != customer.b");
    private static readonly JourneyExpression And = Harness.Compile("customer.a && customer.b");
    private static readonly JourneyExpression Or = Harness.Compile("customer.a || customer.b");
    private static readonly JourneyExpression NotA = Harness.Compile("not customer.a");
    private static readonly JourneyExpression[] Orderings =
    [
        Less, LessOrEqual, Greater, GreaterOrEqual,
        Harness.Compile("customer.missing < customer.b"), Harness.Compile("customer.missing >= customer.b"),
    ];

    private static bool Eval(JourneyExpression expression, object? a, object? b) =>
        Holds(expression, Harness.Customer(("a", a), ("b", b)));

    [Property]
    public bool LessThan_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(Less, a, b) == (a < b);

    [Property]
    public bool LessOrEqual_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(LessOrEqual, a, b) == (a <= b);

    [Property]
    public bool GreaterThan_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(Greater, a, b) == (a > b);

    [Property]
    public bool GreaterOrEqual_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(GreaterOrEqual, a, b) == (a >= b);

    [Property]
    public bool Equal_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(Equal, a, b) == (a == b);

    [Property]
    public bool NotEqual_TwoNumbers_AgreesWithCSharp(double a, double b) => Eval(NotEqual, a, b) == (a != b);

    [Property]
    public bool Comparisons_IntegerLiteralsInTheText_AgreeWithCSharp(int a, int b)
    {
        var harness = new ExpressionHarness();
        var customer = harness.Customer();
        bool Text(string op) => Holds(harness.Compile(FormattableString.Invariant($"{a} {op} {b}")), customer);

        return Text("<") == (a < b) && Text("<=") == (a <= b) && Text(">") == (a > b) &&
               Text(">=") == (a >= b) && Text("==") == (a == b) && Text("!=") == (a != b);
    }

    [Property]
    public bool Ordering_TwoStrings_AgreesWithOrdinalComparison(NonNull<string> a, NonNull<string> b)
    {
        var order = string.CompareOrdinal(a.Get, b.Get);
        return Eval(Less, a.Get, b.Get) == (order < 0) && Eval(GreaterOrEqual, a.Get, b.Get) == (order >= 0) &&
               Eval(Equal, a.Get, b.Get) == (order == 0);
    }

    [Property]
    public bool AndOrNot_TwoBooleans_AgreeWithCSharp(bool a, bool b) =>
        Eval(And, a, b) == (a && b) && Eval(Or, a, b) == (a || b) && Eval(NotA, a, b) == !a;

    [Property]
    public bool Ordering_WithNull_IsAlwaysFalse(double b) => Orderings.All(e => !Eval(e, null, b));

    [Property]
    public bool NotEqual_NullAndANumber_IsAlwaysTrue(double b) => Eval(NotEqual, null, b) && !Eval(Equal, null, b);
}
