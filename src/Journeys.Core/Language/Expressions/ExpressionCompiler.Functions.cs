using Journeys.Diagnostics;
using Journeys.State;
using NCalc.Domain;
using Linq = System.Linq.Expressions;

namespace Journeys.Language.Expressions;

// The functions operators may call: their table, and how each call is checked and compiled.
internal sealed partial class ExpressionCompiler
{
    /// <summary>The functions operators may call, with their arity, for messages and suggestions.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Functions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["count"] = "count('type', days)",
        ["sum"] = "sum('type', 'property', days)",
        ["lastSeen"] = "lastSeen('type')",
        ["daysSince"] = "daysSince(timestamp)",
        ["hoursSince"] = "hoursSince(timestamp)",
        ["rule"] = "rule('Workflow.Rule')",
        ["if"] = "if(condition, then, else)",
        ["min"] = "min(a, b)",
        ["max"] = "max(a, b)",
        ["abs"] = "abs(x)",
        ["contains"] = "contains(listOrText, value)",
    };

    private sealed partial class TreeBuilder
    {
        private Node Call(Function f)
        {
            var name = f.Identifier.Name;
            var offset = NextLeafOffset(name);
            if (!Functions.ContainsKey(name))
            {
                var hint = Suggest.Closest(name, Functions.Keys) is { } s ? $" (did you mean '{s}'?)" : "";
                Error(offset, DiagnosticCodes.UnknownName,
                    $"unknown function '{name}'{hint}: functions are {string.Join(", ", Functions.Values)}");
                foreach (var arg in f.Expressions)
                {
                    Build(arg); // keep leaf positions in step
                }

                return Error(offset);
            }

            var args = f.Expressions.Select(Build).ToArray();
            switch (name)
            {
                case "count":
                {
                    if (!Arity(name, args, 2, offset) || !LiteralString(args[0], name, "an event type", out var type) ||
                        !LiteralNumber(args[1], name, "a number of days", out var days))
                    {
                        return Error(offset);
                    }

                    if (days <= 0 || days > 3660)
                    {
                        Error(args[1].Offset, DiagnosticCodes.InvalidValue, $"count() needs a number of days between 1 and 3660, not {days}");
                        return Error(offset);
                    }

                    var slot = owner._activity.RequireCount(type, days);
                    return CallCtx(nameof(EvaluationContext.Count), ExprType.Number, offset, Linq.Expression.Constant(slot), Linq.Expression.Constant(days));
                }

                case "sum":
                {
                    if (!Arity(name, args, 3, offset) || !LiteralString(args[0], name, "an event type", out var type) ||
                        !LiteralString(args[1], name, "a property name", out var property) ||
                        !LiteralNumber(args[2], name, "a number of days", out var days))
                    {
                        return Error(offset);
                    }

                    if (days <= 0 || days > 3660)
                    {
                        Error(args[2].Offset, DiagnosticCodes.InvalidValue, $"sum() needs a number of days between 1 and 3660, not {days}");
                        return Error(offset);
                    }

                    var slot = owner._activity.RequireSum(type, property, days);
                    return CallCtx(nameof(EvaluationContext.Sum), ExprType.Number, offset, Linq.Expression.Constant(slot), Linq.Expression.Constant(days));
                }

                case "lastSeen":
                {
                    if (!Arity(name, args, 1, offset) || !LiteralString(args[0], name, "an event type", out var type))
                    {
                        return Error(offset);
                    }

                    var slot = owner._activity.RequireLastSeen(type);
                    return CallCtx(nameof(EvaluationContext.LastSeen), ExprType.Timestamp, offset, Linq.Expression.Constant(slot));
                }

                case "daysSince" or "hoursSince":
                {
                    if (!Arity(name, args, 1, offset))
                    {
                        return Error(offset);
                    }

                    if (args[0].Type is ExprType.Number or ExprType.Bool)
                    {
                        Error(args[0].Offset, DiagnosticCodes.TypeError,
                            $"type error: {name}() takes a timestamp or an ISO 8601 string, not a {Describe(args[0].Type)}");
                        return Error(offset);
                    }

                    return CallCtx(name == "daysSince" ? nameof(EvaluationContext.DaysSince) : nameof(EvaluationContext.HoursSince),
                        ExprType.Number, offset, args[0].Expression);
                }

                case "rule":
                {
                    if (!Arity(name, args, 1, offset) || !LiteralString(args[0], name, "a rule name 'Workflow.Rule'", out var rule))
                    {
                        return Error(offset);
                    }

                    if (owner._resolveRule(rule) is not { } index)
                    {
                        var hint = Suggest.Closest(rule, owner._ruleNames()) is { } s ? $" (did you mean '{s}'?)" : "";
                        Error(args[0].Offset, DiagnosticCodes.UnknownRule,
                            $"unknown rule '{rule}'{hint}: rules are named 'Workflow.Rule' after a workflow in rules/*.json");
                        return Error(offset);
                    }

                    return CallCtx(nameof(EvaluationContext.Rule), ExprType.Bool, offset, Linq.Expression.Constant(index));
                }

                case "if":
                {
                    if (!Arity(name, args, 3, offset))
                    {
                        return Error(offset);
                    }

                    RequireBool(args[0], "if()");
                    var type = Unify(args[1], args[2], "if()");
                    return new Node(Linq.Expression.Condition(IsTrue(args[0].Expression), args[1].Expression, args[2].Expression), type, offset);
                }

                case "contains":
                {
                    if (!Arity(name, args, 2, offset))
                    {
                        return Error(offset);
                    }

                    if (args[0].Type is ExprType.Number or ExprType.Bool or ExprType.Timestamp)
                    {
                        Error(args[0].Offset, DiagnosticCodes.TypeError,
                            $"type error: contains() looks in a list or a text, not in a {Describe(args[0].Type)}: {Functions[name]}");
                        return Error(offset);
                    }

                    if (args[0].Type == ExprType.String && args[1].Type is ExprType.Number or ExprType.Bool or ExprType.Timestamp)
                    {
                        Error(args[1].Offset, DiagnosticCodes.TypeError,
                            $"type error: contains() on a text looks for a text, not a {Describe(args[1].Type)}: write it in quotes");
                        return Error(offset);
                    }

                    return new Node(Linq.Expression.Call(typeof(Value).GetMethod(nameof(Value.Contains))!, args[0].Expression, args[1].Expression),
                        ExprType.Bool, offset);
                }

                default: // min, max, abs
                {
                    var arity = name == "abs" ? 1 : 2;
                    if (!Arity(name, args, arity, offset))
                    {
                        return Error(offset);
                    }

                    foreach (var a in args)
                    {
                        RequireNumber(a, name + "()");
                    }

                    var method = typeof(ValueFunctions).GetMethod(char.ToUpperInvariant(name[0]) + name[1..])!;
                    return new Node(Linq.Expression.Call(method, args.Select(a => a.Expression)), ExprType.Number, offset);
                }
            }
        }

        private bool Arity(string name, Node[] args, int expected, int offset)
        {
            if (args.Length == expected)
            {
                return true;
            }

            Error(offset, DiagnosticCodes.TypeError, $"{name}() takes {expected} argument(s), not {args.Length}: {Functions[name]}");
            return false;
        }

        private bool LiteralString(Node node, string function, string what, out string value)
        {
            value = "";
            if (node.Expression is Linq.ConstantExpression { Value: Value { Kind: ValueKind.String } v })
            {
                value = v.AsString;
                return true;
            }

            Error(node.Offset, DiagnosticCodes.TypeError, $"{function}() needs {what} written as a quoted literal: {Functions[function]}");
            return false;
        }

        private bool LiteralNumber(Node node, string function, string what, out double value)
        {
            value = 0;
            if (node.Expression is Linq.ConstantExpression { Value: Value { Kind: ValueKind.Number } v })
            {
                value = v.AsNumber;
                return true;
            }

            Error(node.Offset, DiagnosticCodes.TypeError, $"{function}() needs {what} written as a number: {Functions[function]}");
            return false;
        }
    }
}
