namespace Journeys.Diagnostics;

/// <summary>The stable codes of the loader's diagnostics, so tools and tests can tell kinds of problems apart.</summary>
public static class DiagnosticCodes
{
    /// <summary>The file is not well-formed YAML or JSON (tabs, bad indentation, duplicate keys, ...).</summary>
    public const string Syntax = "JRN001";

    /// <summary>A key the language does not know.</summary>
    public const string UnknownKey = "JRN002";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "JRN003";

    /// <summary>A value of the wrong shape or out of range.</summary>
    public const string InvalidValue = "JRN004";

    /// <summary>A reference to a step that does not exist (<c>start</c>, <c>goto</c>).</summary>
    public const string UnknownStep = "JRN005";

    /// <summary>Two journeys (or steps, tiers, rules) with the same id.</summary>
    public const string Duplicate = "JRN006";

    /// <summary>A duration that does not parse.</summary>
    public const string BadDuration = "JRN007";

    /// <summary>A split weight that is not a positive number.</summary>
    public const string BadWeight = "JRN008";

    /// <summary>A step that can never be reached or never be left.</summary>
    public const string DeadStep = "JRN009";

    /// <summary>An expression that does not parse.</summary>
    public const string ExpressionSyntax = "JRN010";

    /// <summary>A name or function that is not in scope.</summary>
    public const string UnknownName = "JRN011";

    /// <summary>Operands of types that do not go together.</summary>
    public const string TypeError = "JRN012";

    /// <summary><c>rule('W.R')</c> naming no loaded rule.</summary>
    public const string UnknownRule = "JRN013";

    /// <summary>A cap naming a tier the policy does not define.</summary>
    public const string UnknownTier = "JRN014";

    /// <summary>A file too large or too deeply aliased to load.</summary>
    public const string TooLarge = "JRN015";

    /// <summary>A RulesEngine workflow file that is invalid.</summary>
    public const string RulesFile = "JRN016";

    /// <summary>A template that is missing or does not parse.</summary>
    public const string Template = "JRN017";

    /// <summary>The folder or a file cannot be read.</summary>
    public const string Io = "JRN018";
}
