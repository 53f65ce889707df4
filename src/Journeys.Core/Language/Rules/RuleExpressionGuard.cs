using System.Collections.Frozen;
using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Dynamic.Core.Tokenizer;
using Journeys.Language.Expressions;

namespace Journeys.Language.Rules;

/// <summary>The names a rule expression may use, checked on Dynamic LINQ's own tokens before RulesEngine sees the rule.
/// Left alone, Dynamic LINQ lets a rule call <c>GetType()</c> on any value and read every property of what it gets
/// (<c>customer.GetType().Assembly.Location</c>, <c>.DefinedTypes</c>, <c>.Module</c>), and call the public methods of the
/// class RulesEngine builds for the input (<c>SetDynamicPropertyValue</c>). RulesEngine 6.0.1 builds its
/// <see cref="ParsingConfig"/> itself, and it compiles each rule again for every set of trait types it meets, so neither a
/// stricter configuration nor a walk of the trees built at load could cover every rule; a check of the names can, since
/// every member, method, type and keyword a rule reaches is named in its text.</summary>
/// <remarks>Every identifier must be: an input (<c>customer</c>, or a global or local param); a trait, right after
/// <c>customer.</c> and not called; a keyword or type below; or, after a dot, a member below. The members are safe on
/// every type a rule can reach from traits (numbers, strings, booleans, timestamps) and these types, and they only lead
/// to such types again; <c>RuleExpressionGuardTests</c> checks that by reflection. Names compare ignoring case, as
/// RulesEngine's Dynamic LINQ resolves them.</remarks>
internal static class RuleExpressionGuard
{
    /// <summary>Types a rule may name, and whether it may be called by name (a conversion or constructor: <c>int(x)</c>,
    /// <c>DateTime(2024, 1, 1)</c>). <c>string</c> may not: <c>string('a', n)</c> allocates as much as a rule asks.</summary>
    internal static readonly FrozenDictionary<string, (Type Type, bool Callable)> TypeNames = new Dictionary<string, (Type, bool)>
    {
        ["Math"] = (typeof(Math), false),
        ["DateTime"] = (typeof(DateTime), true),
        ["DateTimeOffset"] = (typeof(DateTimeOffset), true),
        ["TimeSpan"] = (typeof(TimeSpan), true),
        ["DayOfWeek"] = (typeof(DayOfWeek), false),
        ["string"] = (typeof(string), false),
        ["String"] = (typeof(string), false),
        ["bool"] = (typeof(bool), true),
        ["Boolean"] = (typeof(bool), true),
        ["int"] = (typeof(int), true),
        ["Int32"] = (typeof(int), true),
        ["long"] = (typeof(long), true),
        ["Int64"] = (typeof(long), true),
        ["double"] = (typeof(double), true),
        ["Double"] = (typeof(double), true),
        ["decimal"] = (typeof(decimal), true),
        ["Decimal"] = (typeof(decimal), true),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dynamic LINQ keywords a rule may use; <c>new</c>, <c>is</c>, <c>as</c>, <c>cast</c>, <c>it</c> and the
    /// like are left out on purpose.</summary>
    internal static readonly FrozenSet<string> Keywords =
        new[] { "true", "false", "null", "iif", "np", "in" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Members a rule may use after a dot. The clock (<c>DateTime.Now</c>, <c>UtcNow</c>, <c>Today</c>) is not
    /// among them: rule results are memoised until the customer's traits change, so a rule cannot follow the time.</summary>
    internal static readonly FrozenSet<string> Members = new[]
    {
        // any value
        "Equals", "CompareTo", "ToString", "HasValue", "Value",
        // strings
        "Length", "Contains", "StartsWith", "EndsWith", "IndexOf", "Substring", "ToLower", "ToUpper", "ToLowerInvariant",
        "ToUpperInvariant", "Trim", "TrimStart", "TrimEnd", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Empty",
        // Math
        "Abs", "Min", "Max", "Round", "Floor", "Ceiling", "Truncate", "Sign", "Pow", "Sqrt",
        // dates and times
        "Year", "Month", "Day", "Hour", "Minute", "Second", "DayOfWeek", "DayOfYear", "Date", "TimeOfDay", "UtcDateTime",
        "AddYears", "AddMonths", "AddDays", "AddHours", "AddMinutes", "AddSeconds", "ToUnixTimeSeconds", "MinValue", "MaxValue",
        "Days", "Hours", "Minutes", "Seconds", "TotalDays", "TotalHours", "TotalMinutes", "TotalSeconds",
        "FromDays", "FromHours", "FromMinutes", "FromSeconds", "Zero",
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name of the input rules see: the customer, its traits as properties.</summary>
    public const string Input = "customer";

    /// <summary>The first name of <paramref name="expression"/> that is not allowed, with its 1-based character; null
    /// when every name is allowed (or the text does not tokenize: RulesEngine then reports the syntax error).</summary>
    /// <param name="expression">The rule's expression, or a param's.</param>
    /// <param name="scopedParams">The global and local params in scope: names an expression may start from besides
    /// <see cref="Input"/>. Their values are what their own (checked) expressions give, so only allowed members follow.</param>
    public static (string Name, int Character)? FindRefused(string expression, IReadOnlySet<string> scopedParams)
    {
        if (Tokens(expression, out var tokens) is not null)
        {
            return null;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Id != TokenId.Identifier || Allowed(tokens, i, scopedParams))
            {
                continue;
            }

            return (token.Text, token.Pos + 1);
        }

        return null;
    }

    /// <summary>Where <paramref name="expression"/> nests brackets deeper than <see cref="ExpressionLexer.MaxDepth"/> or
    /// has more than <see cref="ExpressionLexer.MaxOperators"/> operators, as journey expressions may not (Dynamic LINQ's
    /// parser recurses per level: deeper input overflowed the stack), with its 1-based character; else null. Also on the
    /// tokens before a tokenizing error, which the parser would reach only after the nesting before it.</summary>
    public static (string Problem, int Character)? FindTooComplex(string expression)
    {
        Tokens(expression, out var tokens);
        var (depth, operators) = (0, 0);
        foreach (var token in tokens)
        {
            switch (token.Id)
            {
                case TokenId.OpenParen or TokenId.OpenBracket or TokenId.OpenCurlyParen:
                    if (++depth > ExpressionLexer.MaxDepth)
                    {
                        return ($"nesting is deeper than {ExpressionLexer.MaxDepth} levels of brackets", token.Pos + 1);
                    }

                    break;
                case TokenId.CloseParen or TokenId.CloseBracket or TokenId.CloseCurlyParen:
                    depth = Math.Max(depth - 1, 0);
                    break;
                case TokenId.Identifier when !token.Text.Equals("and", StringComparison.OrdinalIgnoreCase) &&
                                             !token.Text.Equals("or", StringComparison.OrdinalIgnoreCase) &&
                                             !token.Text.Equals("not", StringComparison.OrdinalIgnoreCase):
                case TokenId.StringLiteral or TokenId.IntegerLiteral or TokenId.RealLiteral or TokenId.Comma or TokenId.Dot:
                    break;
                default:
                    if (++operators > ExpressionLexer.MaxOperators)
                    {
                        return ($"has more than {ExpressionLexer.MaxOperators} operators", token.Pos + 1);
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Dynamic LINQ's tokens of <paramref name="expression"/>; the tokenizer's error if it stops early (the
    /// tokens before it are given).</summary>
    private static ParseException? Tokens(string expression, out List<Token> tokens)
    {
        tokens = [];
        try
        {
            var parser = new TextParser(ParsingConfig.Default, expression);
            while (parser.CurrentToken.Id != TokenId.End)
            {
                tokens.Add(parser.CurrentToken);
                parser.NextToken();
            }

            return null;
        }
        catch (ParseException ex)
        {
            return ex;
        }
    }

    private static bool Allowed(List<Token> tokens, int i, IReadOnlySet<string> scopedParams)
    {
        var name = tokens[i].Text;
        var called = i + 1 < tokens.Count && tokens[i + 1].Id == TokenId.OpenParen;
        var afterDot = i > 0 && tokens[i - 1].Id == TokenId.Dot;
        if (!afterDot)
        {
            return Keywords.Contains(name) ||
                (!called && (IsInput(name) || scopedParams.Contains(name))) ||
                (TypeNames.TryGetValue(name, out var type) && (!called || type.Callable));
        }

        // A trait: `customer.name`, where `customer` starts a chain. Traits are properties of the class RulesEngine
        // builds for the input (numbers, strings, booleans, timestamps), or read through its indexer when missing, so
        // any name is a value, never a method or a type.
        var readsInput = i >= 2 && tokens[i - 2].Id == TokenId.Identifier && IsInput(tokens[i - 2].Text) &&
            (i < 3 || tokens[i - 3].Id != TokenId.Dot);
        return (readsInput && !called) || Members.Contains(name);
    }

    private static bool IsInput(string name) => string.Equals(name, Input, StringComparison.OrdinalIgnoreCase);
}
