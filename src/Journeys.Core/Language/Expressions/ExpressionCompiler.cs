using System.Globalization;
using System.Text.RegularExpressions;
using Journeys.Diagnostics;
using Journeys.State;
using NCalc;
using NCalc.Domain;
using Linq = System.Linq.Expressions;

namespace Journeys.Language.Expressions;

/// <summary>Compiles operators' expressions once: NCalc parses, this walks NCalc's tree into a typed
/// <see cref="System.Linq.Expressions"/> tree over <see cref="EvaluationContext"/> and compiles it to a delegate.
/// Only the language's names and functions can be reached: no reflection, no member access, no other methods.</summary>
internal sealed partial class ExpressionCompiler
{
    private static readonly Linq.ParameterExpression Ctx = Linq.Expression.Parameter(typeof(EvaluationContext), "ctx");

    private readonly ActivityRequirements _activity;
    private readonly Func<string, int?> _resolveRule;
    private readonly Func<IEnumerable<string>> _ruleNames;

    public ExpressionCompiler(ActivityRequirements activity, Func<string, int?> resolveRule, Func<IEnumerable<string>> ruleNames)
    {
        _activity = activity;
        _resolveRule = resolveRule;
        _ruleNames = ruleNames;
    }

    /// <summary>Compiles <paramref name="text"/>; on failure adds diagnostics and returns null.</summary>
    /// <param name="text">The expression as written.</param>
    /// <param name="locate">Maps a 0-based offset in <paramref name="text"/> to its place in the file.</param>
    /// <param name="scope">Whether an event is at hand.</param>
    /// <param name="expectBool">True for guards and conditions, which must be boolean.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public JourneyExpression? Compile(string text, Func<int, SourceLocation> locate, ExpressionScope scope, bool expectBool, List<Diagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(0), DiagnosticCodes.ExpressionSyntax, "expression is empty"));
            return null;
        }

        var lexer = ExpressionLexer.Read(text);
        if (lexer.TooDeepAt >= 0 || lexer.TooManyOperatorsAt >= 0)
        {
            // Refused before NCalc parses it: the parser, the tree built here and its compilation all recurse per level.
            diagnostics.Add(lexer.TooDeepAt >= 0
                ? new Diagnostic(DiagnosticSeverity.Error, locate(lexer.TooDeepAt), DiagnosticCodes.TooLarge,
                    $"expression nesting is deeper than {ExpressionLexer.MaxDepth} levels of brackets")
                : new Diagnostic(DiagnosticSeverity.Error, locate(lexer.TooManyOperatorsAt), DiagnosticCodes.TooLarge,
                    $"expression has more than {ExpressionLexer.MaxOperators} operators"));
            return null;
        }

        if (!ExpressionLiterals.CheckLiterals(text, lexer, locate, diagnostics))
        {
            return null;
        }

        LogicalExpression tree;
        try
        {
            tree = ExpressionLiterals.ParseInvariant(lexer.Rewritten);
        }
        catch (EvaluationException ex)
        {
            var (message, offset) = SyntaxError(ex.Message, lexer);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(offset), DiagnosticCodes.ExpressionSyntax,
                $"expression syntax error: {message} in \"{text}\""));
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(0), DiagnosticCodes.ExpressionSyntax,
                $"expression syntax error: {ExpressionLiterals.FirstLine(ex.Message)} in \"{text}\""));
            return null;
        }

        var errorsBefore = diagnostics.Count;
        var node = new TreeBuilder(this, lexer, locate, scope, text, diagnostics).Build(tree);
        if (diagnostics.Count > errorsBefore)
        {
            return null;
        }

        if (expectBool && node.Type is not (ExprType.Bool or ExprType.Any or ExprType.Null))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(0), DiagnosticCodes.TypeError,
                $"type error: a condition must be true or false, but \"{text}\" is a {Describe(node.Type)}"));
            return null;
        }

        var lambda = Linq.Expression.Lambda<Func<EvaluationContext, Value>>(node.Expression, Ctx);
        return new JourneyExpression(text, locate(0), lambda.Compile(), node.Type)
        {
            CannotBecomeTrueWithTime = TimeTrend.CannotBecomeTrueWithTime(tree),
        };
    }

    /// <summary>NCalc reports each error its parser recovered from on a line of its own: the first is the one the operator
    /// made (the rest follow from it), and its position is the column reported.</summary>
    private static (string Message, int Offset) SyntaxError(string ncalcMessage, ExpressionLexer lexer)
    {
        ncalcMessage = ExpressionLiterals.FirstLine(ncalcMessage);
        var match = LinePosition().Match(ncalcMessage);
        if (!match.Success)
        {
            return (ncalcMessage, 0);
        }

        var line = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var column = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var next = lexer.Rewritten.IndexOf('\n', offset);
            offset = next < 0 ? lexer.Rewritten.Length : next + 1;
        }

        offset += column - 1;
        var message = ncalcMessage[..match.Index].Trim().Replace("EndOfFile", "end of expression", StringComparison.Ordinal)
            .Replace("'<EOF>'", "end of expression", StringComparison.Ordinal);
        return (message, lexer.ToOriginal(offset));
    }

    [GeneratedRegex(@"at line (\d+):(\d+)\s*$")]
    private static partial Regex LinePosition();

    internal static string Describe(ExprType type) => type switch
    {
        ExprType.Number => "number",
        ExprType.String => "string",
        ExprType.Bool => "boolean",
        ExprType.Timestamp => "timestamp",
        ExprType.Null => "null",
        _ => "value",
    };

    private readonly record struct Node(Linq.Expression Expression, ExprType Type, int Offset);

    /// <summary>Walks one NCalc tree. Leaves are met in textual order, which is how their positions are recovered.</summary>
    private sealed partial class TreeBuilder(ExpressionCompiler owner, ExpressionLexer lexer, Func<int, SourceLocation> locate,
        ExpressionScope scope, string text, List<Diagnostic> diagnostics)
    {
        private int _leaf;

        private int NextLeafOffset(string? expected = null)
        {
            if (_leaf < lexer.Leaves.Count)
            {
                var leaf = lexer.Leaves[_leaf++];
                return leaf.Offset;
            }

            return 0;
        }

        private void Error(int offset, string code, string message) =>
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, locate(offset), code, message));

        private static Node Error(int offset) => new(Linq.Expression.Constant(Value.Null), ExprType.Any, offset);

        private Node OutOfScope(int offset, string message)
        {
            Error(offset, DiagnosticCodes.UnknownName, message);
            return Error(offset);
        }

        public Node Build(LogicalExpression e) => e switch
        {
            ValueExpression v => Literal(v),
            Identifier id => Name(id.Name, NextLeafOffset(id.Name)),
            Function f => Call(f),
            UnaryExpression u => Unary(u),
            BinaryExpression b => Binary(b),
            TernaryExpression t => Ternary(t),
            _ => Unsupported(e),
        };

        private Node Unsupported(LogicalExpression e)
        {
            Error(0, DiagnosticCodes.ExpressionSyntax, $"'{e}' is not supported in \"{text}\"");
            return Error(0);
        }

        private Node Literal(ValueExpression v)
        {
            var leaf = _leaf < lexer.Leaves.Count ? lexer.Leaves[_leaf].Text : "";
            var offset = NextLeafOffset();
            return v.Type switch
            {
                NCalc.Domain.ValueType.Boolean => Constant(Value.Bool((bool)v.Value), ExprType.Bool, offset),
                NCalc.Domain.ValueType.String => Constant(Value.String((string)v.Value), ExprType.String, offset),
                NCalc.Domain.ValueType.Integer or NCalc.Domain.ValueType.Float =>
                    Constant(Value.Number(Convert.ToDouble(v.Value, CultureInfo.InvariantCulture)), ExprType.Number, offset),
                NCalc.Domain.ValueType.DateTime when ExpressionLiterals.Date(leaf) is { } at => Constant(Value.Timestamp(at), ExprType.Timestamp, offset),
                _ => Unsupported(v),
            };
        }

        private static Node Constant(Value value, ExprType type, int offset) => new(Linq.Expression.Constant(value), type, offset);

        private static Node CallCtx(string method, ExprType type, int offset, params Linq.Expression[] args) =>
            new(Linq.Expression.Call(Ctx, typeof(EvaluationContext).GetMethod(method)!, args), type, offset);

        private Node Name(string name, int offset)
        {
            if (name.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return Constant(Value.Null, ExprType.Null, offset);
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var root = dot < 0 ? name : name[..dot];
            var rest = dot < 0 ? "" : name[(dot + 1)..];
            switch (root)
            {
                case "customer" when rest.Length > 0 && !rest.Contains('.', StringComparison.Ordinal):
                    return rest switch
                    {
                        "id" => CallCtx(nameof(EvaluationContext.CustomerId), ExprType.String, offset),
                        "tier" => CallCtx(nameof(EvaluationContext.Tier), ExprType.String, offset),
                        "timeZone" => CallCtx(nameof(EvaluationContext.TimeZone), ExprType.String, offset),
                        _ => CallCtx(nameof(EvaluationContext.Trait), ExprType.Any, offset, Linq.Expression.Constant(rest)),
                    };
                case "event" when rest.Length > 0 && !rest.Contains('.', StringComparison.Ordinal):
                    return (scope & ExpressionScope.CustomerAndEvent) == 0
                        ? OutOfScope(offset, $"'{name}' is not in scope: no event is at hand here (event.* is available in entry 'on', 'on' transitions, exits and goals)")
                        : rest == "type"
                        ? CallCtx(nameof(EvaluationContext.EventType), ExprType.String, offset)
                        : CallCtx(nameof(EvaluationContext.EventProperty), ExprType.Any, offset, Linq.Expression.Constant(rest));
                case "entry" when rest.Length > 0 && !rest.Contains('.', StringComparison.Ordinal):
                    return (scope & ExpressionScope.Run) == 0 ? OutOfScope(offset, ExpressionNames.EntryOutOfScope(name))
                        : rest == "timestamp" ? CallCtx(nameof(EvaluationContext.EntryTimestamp), ExprType.Timestamp, offset)
                        : CallCtx(nameof(EvaluationContext.EntryProperty), ExprType.Any, offset, Linq.Expression.Constant(rest));
                case "result" when rest.Length > 0 && !rest.Contains('.', StringComparison.Ordinal):
                    return (scope & ExpressionScope.Result) == 0 ? OutOfScope(offset, ExpressionNames.ResultOutOfScope(name))
                        : CallCtx(nameof(EvaluationContext.ResultField), ExprType.Any, offset, Linq.Expression.Constant(rest));
                default:
                    var known = ExpressionNames.Known(scope);
                    if (text.Contains($"\"{name}\"", StringComparison.Ordinal))
                    {
                        Error(offset, DiagnosticCodes.ExpressionSyntax,
                            $"\"{name}\" is read as a name: write strings in single quotes, as in '{name}'");
                        return Error(offset);
                    }

                    var hint = NameHint(name, root, rest) is { } s ? $" (did you mean '{s}'?)" : "";
                    Error(offset, DiagnosticCodes.UnknownName,
                        $"unknown name '{name}'{hint}: names in scope are {string.Join(", ", known)}");
                    return Error(offset);
            }
        }

        private string? NameHint(string name, string root, string rest)
        {
            if (rest.Length == 0)
            {
                return Functions.ContainsKey(name) ? name + "(...)" : "customer." + name;
            }

            var roots = ExpressionNames.Roots(scope);
            return Suggest.Closest(root, roots) is { } r && r != root ? r + "." + rest : null;
        }

        private void RequireBool(Node node, string where)
        {
            if (node.Type is not (ExprType.Bool or ExprType.Any or ExprType.Null))
            {
                Error(node.Offset, DiagnosticCodes.TypeError, $"type error: {where} needs true or false, not a {Describe(node.Type)}");
            }
        }

        private void RequireNumber(Node node, string where)
        {
            if (node.Type is not (ExprType.Number or ExprType.Any or ExprType.Null))
            {
                Error(node.Offset, DiagnosticCodes.TypeError, $"type error: {where} needs a number, not a {Describe(node.Type)}");
            }
        }

        private ExprType Unify(Node a, Node b, string where)
        {
            if (a.Type == b.Type || b.Type is ExprType.Null or ExprType.Any)
            {
                return a.Type == ExprType.Null ? b.Type : a.Type;
            }

            if (a.Type is ExprType.Null or ExprType.Any)
            {
                return a.Type == ExprType.Null ? b.Type : ExprType.Any;
            }

            // A timestamp and a string compare as timestamps (ISO 8601 strings).
            if ((a.Type, b.Type) is (ExprType.Timestamp, ExprType.String) or (ExprType.String, ExprType.Timestamp))
            {
                return ExprType.Any;
            }

            Error(a.Offset, DiagnosticCodes.TypeError,
                $"type error: {where} cannot compare a {Describe(a.Type)} with a {Describe(b.Type)} in \"{text}\"");
            return ExprType.Any;
        }

        private static Linq.Expression IsTrue(Linq.Expression value) => Linq.Expression.Property(value, nameof(Value.IsTrue));

        private Node Unary(UnaryExpression u)
        {
            var operand = Build(u.Expression);
            switch (u.Type)
            {
                case UnaryExpressionType.Not:
                    RequireBool(operand, "'not'");
                    return new Node(Linq.Expression.Call(typeof(Value).GetMethod(nameof(Value.Not))!, operand.Expression), ExprType.Bool, operand.Offset);
                case UnaryExpressionType.Negate:
                    RequireNumber(operand, "'-'");
                    return new Node(Linq.Expression.Call(typeof(Value).GetMethod(nameof(Value.Negate))!, operand.Expression), ExprType.Number, operand.Offset);
                default:
                    Error(operand.Offset, DiagnosticCodes.ExpressionSyntax, $"bitwise operators are not supported in \"{text}\"");
                    return Error(operand.Offset);
            }
        }

        private Node Ternary(TernaryExpression t)
        {
            var c = Build(t.LeftExpression);
            var a = Build(t.MiddleExpression);
            var b = Build(t.RightExpression);
            RequireBool(c, "'? :'");
            var type = Unify(a, b, "'? :'");
            return new Node(Linq.Expression.Condition(IsTrue(c.Expression), a.Expression, b.Expression), type, c.Offset);
        }

        private Node Binary(BinaryExpression b)
        {
            var left = Build(b.LeftExpression);
            var right = Build(b.RightExpression);
            var op = Symbol(b.Type);
            switch (b.Type)
            {
                case BinaryExpressionType.And:
                case BinaryExpressionType.Or:
                {
                    RequireBool(left, $"'{op}'");
                    RequireBool(right, $"'{op}'");
                    var l = IsTrue(left.Expression);
                    var r = IsTrue(right.Expression);
                    var combined = b.Type == BinaryExpressionType.And ? Linq.Expression.AndAlso(l, r) : Linq.Expression.OrElse(l, r);
                    return new Node(Linq.Expression.Condition(combined, Linq.Expression.Constant(Value.True), Linq.Expression.Constant(Value.False)), ExprType.Bool, left.Offset);
                }

                case BinaryExpressionType.Equal:
                case BinaryExpressionType.NotEqual:
                    Unify(left, right, $"'{op}'");
                    return ValueCall(b.Type == BinaryExpressionType.Equal ? nameof(Value.Equal) : nameof(Value.NotEqual), left, right, ExprType.Bool);

                case BinaryExpressionType.Lesser:
                case BinaryExpressionType.LesserOrEqual:
                case BinaryExpressionType.Greater:
                case BinaryExpressionType.GreaterOrEqual:
                    if (left.Type == ExprType.Bool || right.Type == ExprType.Bool)
                    {
                        Error(left.Offset, DiagnosticCodes.TypeError, $"type error: '{op}' cannot order booleans in \"{text}\"");
                    }
                    else
                    {
                        Unify(left, right, $"'{op}'");
                    }

                    return ValueCall(b.Type switch
                    {
                        BinaryExpressionType.Lesser => nameof(Value.Less),
                        BinaryExpressionType.LesserOrEqual => nameof(Value.LessOrEqual),
                        BinaryExpressionType.Greater => nameof(Value.Greater),
                        _ => nameof(Value.GreaterOrEqual),
                    }, left, right, ExprType.Bool);

                case BinaryExpressionType.Plus when left.Type == ExprType.String && right.Type == ExprType.String:
                    return Join(left, right, ExprType.String);

                // A trait with a string or a trait: strings join at run time, within the limit (a number with a string is null).
                case BinaryExpressionType.Plus when (left.Type, right.Type) is (ExprType.String, ExprType.Any) or (ExprType.Any, ExprType.String) or (ExprType.Any, ExprType.Any):
                    return Join(left, right, ExprType.Any);

                case BinaryExpressionType.Plus:
                case BinaryExpressionType.Minus:
                case BinaryExpressionType.Times:
                case BinaryExpressionType.Div:
                case BinaryExpressionType.Modulo:
                    RequireNumber(left, $"'{op}'");
                    RequireNumber(right, $"'{op}'");
                    return ValueCall(b.Type switch
                    {
                        BinaryExpressionType.Plus => nameof(Value.Add),
                        BinaryExpressionType.Minus => nameof(Value.Subtract),
                        BinaryExpressionType.Times => nameof(Value.Multiply),
                        BinaryExpressionType.Div => nameof(Value.Divide),
                        _ => nameof(Value.Modulo),
                    }, left, right, left.Type == ExprType.Any || right.Type == ExprType.Any ? ExprType.Any : ExprType.Number);

                default:
                    Error(left.Offset, DiagnosticCodes.ExpressionSyntax, $"operator '{op}' is not supported in \"{text}\"");
                    return Error(left.Offset);
            }
        }

        // Every '+' that may join strings goes through the context, which bounds the joined length.
        private static Node Join(Node left, Node right, ExprType type) =>
            CallCtx(nameof(EvaluationContext.Add), type, left.Offset, left.Expression, right.Expression);

        private static Node ValueCall(string method, Node left, Node right, ExprType type) =>
            new(Linq.Expression.Call(typeof(Value).GetMethod(method)!, left.Expression, right.Expression), type, left.Offset);

        private static string Symbol(BinaryExpressionType type) => type switch
        {
            BinaryExpressionType.And => "&&",
            BinaryExpressionType.Or => "||",
            BinaryExpressionType.Equal => "==",
            BinaryExpressionType.NotEqual => "!=",
            BinaryExpressionType.Lesser => "<",
            BinaryExpressionType.LesserOrEqual => "<=",
            BinaryExpressionType.Greater => ">",
            BinaryExpressionType.GreaterOrEqual => ">=",
            BinaryExpressionType.Plus => "+",
            BinaryExpressionType.Minus => "-",
            BinaryExpressionType.Times => "*",
            BinaryExpressionType.Div => "/",
            BinaryExpressionType.Modulo => "%",
            _ => type.ToString(),
        };
    }
}
