using Journeys.State;

namespace Journeys.Language.Expressions;

/// <summary>The arithmetic helpers expressions may call (<c>min</c>, <c>max</c>, <c>abs</c>); null in, null out.</summary>
internal static class ValueFunctions
{
    public static Value Min(Value a, Value b) => a.Kind == ValueKind.Number && b.Kind == ValueKind.Number ? Value.Number(Math.Min(a.AsNumber, b.AsNumber)) : Value.Null;

    public static Value Max(Value a, Value b) => a.Kind == ValueKind.Number && b.Kind == ValueKind.Number ? Value.Number(Math.Max(a.AsNumber, b.AsNumber)) : Value.Null;

    public static Value Abs(Value a) => a.Kind == ValueKind.Number ? Value.Number(Math.Abs(a.AsNumber)) : Value.Null;
}
