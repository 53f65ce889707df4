using Journeys.Diagnostics;
using Journeys.State;

namespace Journeys.Language.Expressions;

/// <summary>An expression as the operator wrote it (<see cref="Text"/>), compiled once at load time into a delegate.</summary>
internal sealed class JourneyExpression
{
    internal JourneyExpression(string text, SourceLocation location, Func<EvaluationContext, Value> evaluate, ExprType type)
    {
        Text = text;
        Location = location;
        Evaluate = evaluate;
        Type = type;
    }

    /// <summary>The source text, exactly as written.</summary>
    public string Text { get; }

    /// <summary>Where the expression starts in its file.</summary>
    public SourceLocation Location { get; }

    internal Func<EvaluationContext, Value> Evaluate { get; }

    internal ExprType Type { get; }

    /// <summary>Time passing alone cannot turn this condition from false to true (see <see cref="TimeTrend"/>).</summary>
    internal bool CannotBecomeTrueWithTime { get; init; }

    /// <summary>True when the expression holds in the context (null and non-boolean results are false).</summary>
    internal bool IsTrue(EvaluationContext context) => Evaluate(context).IsTrue;

    /// <inheritdoc />
    public override string ToString() => Text;
}
