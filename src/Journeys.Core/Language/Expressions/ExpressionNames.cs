namespace Journeys.Language.Expressions;

/// <summary>The names an expression may use where it stands (<see cref="ExpressionScope"/>), as the compiler's messages
/// list them.</summary>
internal static class ExpressionNames
{
    private static readonly string[] CustomerNames = ["customer.<trait>", "customer.id", "customer.tier", "customer.timeZone"];
    private static readonly string[] EventNames = ["event.type", "event.<property>"];
    private static readonly string[] EntryNames = ["entry.<property>", "entry.timestamp"];
    private static readonly string[] ResultNames = ["result.<field>"];

    /// <summary>Every name in scope, for "names in scope are ..." messages.</summary>
    public static string[] Known(ExpressionScope scope) =>
    [
        .. CustomerNames,
        .. (scope & ExpressionScope.CustomerAndEvent) != 0 ? EventNames : [],
        .. (scope & ExpressionScope.Run) != 0 ? EntryNames : [],
        .. (scope & ExpressionScope.Result) != 0 ? ResultNames : [],
    ];

    /// <summary>The roots of dotted names in scope, for "did you mean" hints.</summary>
    public static string[] Roots(ExpressionScope scope) =>
    [
        "customer",
        .. (scope & ExpressionScope.CustomerAndEvent) != 0 ? ["event"] : Array.Empty<string>(),
        .. (scope & ExpressionScope.Run) != 0 ? ["entry"] : Array.Empty<string>(),
        .. (scope & ExpressionScope.Result) != 0 ? ["result"] : Array.Empty<string>(),
    ];

    /// <summary>Why <c>entry.*</c> cannot be read here.</summary>
    public static string EntryOutOfScope(string name) =>
        $"'{name}' is not in scope: no run is at hand here (entry.* is the entering event of a run, available in a journey's steps, exits and goal)";

    /// <summary>Why <c>result.*</c> cannot be read here.</summary>
    public static string ResultOutOfScope(string name) =>
        $"'{name}' is not in scope: result.* is the answer of the step's call; read it in the 'if' of an {{ on: $done, if: ..., goto: ... }} transition of a step with call:";
}
