using Journeys.State;
using NCalc.Domain;

namespace Journeys.Language.Expressions;

/// <summary>How an expression's value moves as time passes while nothing else about the customer changes:
/// <c>count(...)</c> can only fall (old events leave the window), <c>daysSince(x)</c> of a fixed <c>x</c> can only
/// rise, traits and <c>lastSeen</c> stay. For a condition this tells whether time alone can make it true: the runtime
/// skips re-evaluating a <c>when</c> entry that was false if nothing changed since and time can only make it falser.</summary>
internal enum Trend
{
    Constant,
    Rising,
    Falling,
    Unknown,
}

/// <summary>The analysis behind <see cref="Trend"/>, over NCalc's parsed tree (names already in bracket form).</summary>
internal static class TimeTrend
{
    /// <summary>True when time passing alone can never turn the condition from false to true.</summary>
    public static bool CannotBecomeTrueWithTime(LogicalExpression condition) => Truth(condition) is Trend.Constant or Trend.Falling;

    /// <summary>The trend of a condition's truth: Rising = can only become true, Falling = can only become false.</summary>
    private static Trend Truth(LogicalExpression e) => e switch
    {
        ValueExpression => Trend.Constant,
        Identifier id => Value(id),
        UnaryExpression { Type: UnaryExpressionType.Not } u => Flip(Truth(u.Expression)),
        BinaryExpression { Type: BinaryExpressionType.And or BinaryExpressionType.Or } b => Same(Truth(b.LeftExpression), Truth(b.RightExpression)),
        BinaryExpression b when IsOrdering(b.Type) => Ordering(b),
        BinaryExpression { Type: BinaryExpressionType.Equal or BinaryExpressionType.NotEqual } b =>
            Value(b.LeftExpression) == Trend.Constant && Value(b.RightExpression) == Trend.Constant ? Trend.Constant : Trend.Unknown,
        Function { Identifier.Name: "rule" } => Trend.Constant,
        _ => Value(e) == Trend.Constant ? Trend.Constant : Trend.Unknown,
    };

    private static bool IsOrdering(BinaryExpressionType t) =>
        t is BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual;

    /// <summary><c>a &lt; b</c> holds while <c>a - b</c> is negative: if the difference rises it can only stop holding.</summary>
    private static Trend Ordering(BinaryExpression b)
    {
        var difference = Subtract(Value(b.LeftExpression), Value(b.RightExpression));
        var less = b.Type is BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual;
        return difference switch
        {
            Trend.Constant => Trend.Constant,
            Trend.Rising => less ? Trend.Falling : Trend.Rising,
            Trend.Falling => less ? Trend.Rising : Trend.Falling,
            _ => Trend.Unknown,
        };
    }

    /// <summary>The trend of a value.</summary>
    private static Trend Value(LogicalExpression e) => e switch
    {
        ValueExpression => Trend.Constant,
        Identifier id => id.Name switch
        {
            "customer.tier" => Trend.Unknown, // tiers may read count() and daysSince()
            var n when n.StartsWith("customer.", StringComparison.Ordinal) || n.StartsWith("event.", StringComparison.Ordinal) => Trend.Constant,
            var n when n.Equals("null", StringComparison.OrdinalIgnoreCase) => Trend.Constant,
            _ => Trend.Unknown,
        },
        Function f => f.Identifier.Name switch
        {
            "count" => Trend.Falling,
            "lastSeen" or "rule" => Trend.Constant,
            "daysSince" or "hoursSince" when f.Expressions.Length == 1 && Value(f.Expressions[0]) == Trend.Constant => Trend.Rising,
            "abs" or "min" or "max" or "if" or "contains" when f.Expressions.All(a => Value(a) == Trend.Constant) => Trend.Constant,
            _ => Trend.Unknown,
        },
        UnaryExpression { Type: UnaryExpressionType.Negate } u => Flip(Value(u.Expression)),
        BinaryExpression { Type: BinaryExpressionType.Plus } b => Same(Value(b.LeftExpression), Value(b.RightExpression)),
        BinaryExpression { Type: BinaryExpressionType.Minus } b => Subtract(Value(b.LeftExpression), Value(b.RightExpression)),
        BinaryExpression b when Value(b.LeftExpression) == Trend.Constant && Value(b.RightExpression) == Trend.Constant => Trend.Constant,
        _ => Trend.Unknown,
    };

    private static Trend Flip(Trend t) => t switch { Trend.Rising => Trend.Falling, Trend.Falling => Trend.Rising, _ => t };

    /// <summary>Both moving the same way (or one constant) keep that way; opposite ways are unknown.</summary>
    private static Trend Same(Trend a, Trend b) =>
        a == Trend.Constant ? b : b == Trend.Constant ? a : a == b ? a : Trend.Unknown;

    private static Trend Subtract(Trend a, Trend b) => Same(a, Flip(b));
}
