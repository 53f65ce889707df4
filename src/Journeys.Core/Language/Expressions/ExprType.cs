namespace Journeys.Language.Expressions;

/// <summary>The static type of an expression node, known at load time where it can be (traits and event properties are
/// <see cref="Any"/>: their type is known only when a value is at hand).</summary>
internal enum ExprType
{
    Any,
    Null,
    Number,
    String,
    Bool,
    Timestamp,
}
