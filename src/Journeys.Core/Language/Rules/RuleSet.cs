using System.Dynamic;
using System.Text.Json;
using Journeys.Diagnostics;
using Journeys.Files;
using Journeys.Language.Expressions;
using Journeys.State;
using RulesEngine.Models;

namespace Journeys.Language.Rules;

/// <summary>The RulesEngine workflows of a folder's <c>rules/*.json</c>, checked at load time and evaluated for
/// <c>rule('Workflow.Rule')</c>. Rules see the customer as the input named <c>customer</c> (its traits and <c>id</c>).
/// RulesEngine costs microseconds a call, so results are memoised per customer until the customer's traits change.</summary>
internal sealed class RuleSet : IRuleEvaluator
{
    private readonly RulesEngine.RulesEngine? _engine;
    private readonly List<(string Workflow, string Rule, string Expression)> _rules = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    private RuleSet(RulesEngine.RulesEngine? engine, IEnumerable<(string Workflow, string Rule, string Expression)> rules)
    {
        _engine = engine;
        foreach (var r in rules)
        {
            _index[$"{r.Workflow}.{r.Rule}"] = _rules.Count;
            _rules.Add(r);
        }
    }

    /// <summary>The largest rules file read.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    public static RuleSet Empty { get; } = new(null, []);

    public IEnumerable<string> Names => _index.Keys;

    public int Count => _rules.Count;

    public int? Resolve(string name) => _index.TryGetValue(name, out var i) ? i : null;

    /// <summary>Reads every <c>*.json</c> file of <paramref name="folder"/>; problems become diagnostics.</summary>
    public static RuleSet Load(string folder, Func<string, string> display, List<Diagnostic> diagnostics)
    {
        if (!Directory.Exists(folder))
        {
            return Empty;
        }

        var workflows = new List<Workflow>();
        var origin = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var ruleOrigin = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var rules = new List<(string, string, string)>();
        foreach (var path in InputFile.Find(folder, "*.json", recurse: false, display, diagnostics))
        {
            var file = display(path);
            if (InputFile.ReadText(path, file, MaxFileBytes, "a rules file", diagnostics) is not { } text)
            {
                continue;
            }

            List<Workflow>? parsed;
            try
            {
                var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                parsed = document.RootElement.ValueKind == JsonValueKind.Array
                    ? document.RootElement.Deserialize<List<Workflow>>(options)
                    : [document.RootElement.Deserialize<Workflow>(options)!];
            }
            catch (JsonException ex)
            {
                var line = (int)(ex.LineNumber ?? 0) + 1;
                var column = CharsInto(text, line, (int)(ex.BytePositionInLine ?? 0)) + 1;
                var message = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(file, line, column), DiagnosticCodes.RulesFile,
                    $"rules file is not a RulesEngine workflow (or a list of them): {message}"));
                continue;
            }

            var seenInFile = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var wf in parsed ?? [])
            {
                if (wf is null)
                {
                    continue;
                }

                var at = Locate(text, file, "\"WorkflowName\"", wf.WorkflowName, Occurrence(seenInFile, "w:" + wf.WorkflowName));
                if (string.IsNullOrWhiteSpace(wf.WorkflowName))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.RulesFile, "a workflow needs a WorkflowName"));
                    continue;
                }

                if (origin.TryGetValue(wf.WorkflowName, out var first))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.Duplicate, $"workflow '{wf.WorkflowName}' is defined twice (first at {first})"));
                    continue;
                }

                origin[wf.WorkflowName] = at;
                var globals = ScopeOf(wf.GlobalParams, new HashSet<string>());
                var ok = CheckParams(wf.GlobalParams, globals, name => $"global param '{name}' of workflow '{wf.WorkflowName}'", at, diagnostics);
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var rule in wf.Rules ?? [])
                {
                    var ruleAt = Locate(text, file, "\"RuleName\"", rule.RuleName, Occurrence(seenInFile, "r:" + rule.RuleName));
                    if (string.IsNullOrWhiteSpace(rule.RuleName) || string.IsNullOrWhiteSpace(rule.Expression))
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, ruleAt, DiagnosticCodes.RulesFile,
                            $"every rule of workflow '{wf.WorkflowName}' needs a RuleName and an Expression"));
                        ok = false;
                    }
                    else if (!names.Add(rule.RuleName))
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, ruleAt, DiagnosticCodes.Duplicate, $"rule '{wf.WorkflowName}.{rule.RuleName}' is defined twice"));
                        ok = false;
                    }
                    else
                    {
                        ruleOrigin[$"{wf.WorkflowName}.{rule.RuleName}"] = ruleAt;
                        ok &= CheckRule(rule, $"rule '{wf.WorkflowName}.{rule.RuleName}'", globals, ruleAt, diagnostics);
                    }
                }

                if (!ok)
                {
                    continue;
                }

                workflows.Add(wf);
                rules.AddRange((wf.Rules ?? []).Select(r => (wf.WorkflowName, r.RuleName, r.Expression)));
                if (!(wf.Rules ?? []).Any())
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, at, DiagnosticCodes.RulesFile, $"workflow '{wf.WorkflowName}' has no rules"));
                }
            }

            if (workflows.Count == 0)
            {
                continue;
            }
        }

        if (workflows.Count == 0)
        {
            return Empty;
        }

        RulesEngine.RulesEngine engine;
        try
        {
            // Actions never run (CheckRule refuses them; this is a second line of defence): a rule here only holds or not, and an action's expressions
            // would run unchecked on every evaluation.
            engine = new RulesEngine.RulesEngine(workflows.ToArray(), new ReSettings { AutoExecuteActions = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, origin.Values.First(), DiagnosticCodes.RulesFile, $"RulesEngine refused the workflows: {ex.Message}"));
            return Empty;
        }

        var set = new RuleSet(engine, rules);
        set.CheckExpressions(workflows, origin, ruleOrigin, diagnostics);
        return set;
    }

    /// <summary>Checks the names <paramref name="rule"/>'s expressions use (<see cref="RuleExpressionGuard"/>), its local
    /// params' and its nested rules' too; refusals are errors at <paramref name="at"/>, naming <paramref name="what"/>.</summary>
    private static bool CheckRule(Rule rule, string what, IReadOnlySet<string> scope, SourceLocation at, List<Diagnostic> diagnostics)
    {
        scope = ScopeOf(rule.LocalParams, scope);
        var ok = CheckParams(rule.LocalParams, scope, name => $"local param '{name}' of {what}", at, diagnostics);
        if (!string.IsNullOrEmpty(rule.Expression))
        {
            ok &= CheckExpression(rule.Expression, scope, what, at, diagnostics);
        }

        if (rule.Actions is not null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.RulesFile,
                $"{what}: actions (OnSuccess, OnFailure) are not supported: Journeys reads only whether a rule holds"));
            ok = false;
        }

        foreach (var inner in rule.Rules ?? [])
        {
            ok &= CheckRule(inner, $"{what} > '{inner.RuleName}'", scope, at, diagnostics);
        }

        return ok;
    }

    private static bool CheckParams(IEnumerable<ScopedParam>? parameters, IReadOnlySet<string> scope, Func<string, string> what,
        SourceLocation at, List<Diagnostic> diagnostics)
    {
        var ok = true;
        foreach (var p in parameters ?? [])
        {
            ok &= string.IsNullOrEmpty(p.Expression) ||
                CheckExpression(p.Expression, scope, what(p.Name), at, diagnostics);
        }

        return ok;
    }

    private static bool CheckExpression(string expression, IReadOnlySet<string> scope, string what, SourceLocation at, List<Diagnostic> diagnostics)
    {
        if (RuleExpressionGuard.FindTooComplex(expression) is { } tooComplex)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.TooLarge,
                $"{what}: the expression {tooComplex.Problem} (character {tooComplex.Character})"));
            return false;
        }

        if (RuleExpressionGuard.FindRefused(expression, scope) is not { } refused)
        {
            return true;
        }

        var clock = refused.Name.ToUpperInvariant() is "NOW" or "UTCNOW" or "TODAY"
            ? " (the clock: a rule's result is kept until the customer's traits change, so it cannot follow the time; compare " +
              "with a trait, or use lastSeen/count in the journey's expression)"
            : "";
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.RulesFile,
            $"{what}: '{refused.Name}' (character {refused.Character}) is not allowed in a rule expression{clock}: rules read the " +
            "customer's traits (customer.trait) with operators and the string, number, date and Math members listed in " +
            "journey-language.md (Rules)"));
        return false;
    }

    /// <summary>The param names an expression may use: those of <paramref name="outer"/> and <paramref name="parameters"/>,
    /// ignoring case as RulesEngine does.</summary>
    private static IReadOnlySet<string> ScopeOf(IEnumerable<ScopedParam>? parameters, IReadOnlySet<string> outer)
    {
        var scope = new HashSet<string>(outer, StringComparer.OrdinalIgnoreCase);
        scope.UnionWith((parameters ?? []).Select(p => p.Name).Where(n => !string.IsNullOrEmpty(n)));
        return scope;
    }

    /// <summary>Runs each workflow once against an empty customer: errors other than "that trait is missing" are
    /// syntax errors the operator must see now, not on the first event.</summary>
    private void CheckExpressions(List<Workflow> workflows, Dictionary<string, SourceLocation> origin,
        Dictionary<string, SourceLocation> ruleOrigin, List<Diagnostic> diagnostics)
    {
        foreach (var wf in workflows)
        {
            List<RuleResultTree> results;
            try
            {
                results = _engine!.ExecuteAllRulesAsync(wf.WorkflowName, new RuleParameter(RuleExpressionGuard.Input, new ExpandoObject())).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, origin[wf.WorkflowName], DiagnosticCodes.RulesFile, $"workflow '{wf.WorkflowName}' fails: {ex.Message}"));
                continue;
            }

            foreach (var r in results)
            {
                var message = r.ExceptionMessage;
                // Against the empty customer every trait is an object, so "No property or field", an operator or method
                // not defined for (System.)Object are the customer's traits, not the rule, speaking.
                if (string.IsNullOrEmpty(message) || message.Contains("No property or field", StringComparison.Ordinal) ||
                    message.Contains("'System.Object'", StringComparison.Ordinal) || message.Contains("'Object'", StringComparison.Ordinal))
                {
                    continue;
                }

                var at = ruleOrigin.TryGetValue($"{wf.WorkflowName}.{r.Rule.RuleName}", out var ruleAt) ? ruleAt : origin[wf.WorkflowName];
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, DiagnosticCodes.RulesFile,
                    $"rule '{wf.WorkflowName}.{r.Rule.RuleName}': {message}"));
            }
        }
    }

    /// <summary>System.Text.Json counts bytes into a line; operators count characters.</summary>
    private static int CharsInto(string text, int line, int bytes)
    {
        var start = 0;
        for (var l = 1; l < line; l++)
        {
            var next = text.IndexOf('\n', start);
            if (next < 0)
            {
                break;
            }

            start = next + 1;
        }

        var i = start;
        while (bytes > 0 && i < text.Length && text[i] != '\n')
        {
            var n = char.IsSurrogatePair(text, i) ? 2 : 1;
            bytes -= System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(i, n));
            i += n;
        }

        return i - start;
    }

    private static int Occurrence(Dictionary<string, int> seen, string key) =>
        seen[key] = seen.TryGetValue(key, out var n) ? n + 1 : 0;

    /// <summary>Where the <paramref name="occurrence"/>-th (0-based) <c>"Key": "value"</c> pair stands in the file.</summary>
    private static SourceLocation Locate(string text, string file, string key, string? value, int occurrence)
    {
        var index = -1;
        var from = 0;
        while ((from = text.IndexOf(key, from, StringComparison.Ordinal)) >= 0)
        {
            var valueAt = text.IndexOf(':', from);
            if ((value is null || (valueAt >= 0 && text.AsSpan(valueAt).TrimStart(":").TrimStart().StartsWith("\"" + value + "\"", StringComparison.Ordinal))) &&
                occurrence-- == 0)
            {
                index = from;
                break;
            }

            from += key.Length;
        }

        if (index < 0)
        {
            return new SourceLocation(file, 1, 1);
        }

        return SourceLocation.At(file, text, index);
    }

    /// <summary>Whether RulesEngine's error at run time says a trait the rule reads is missing: RulesEngine reads a missing
    /// trait as an object, so an operator or method not defined for (System.)Object, or no such property
    /// (<c>customer.name</c>), are the customer's traits speaking; the rule does not hold and nothing failed. A missing
    /// member of a trait's value (<c>customer.code.Length</c> of a number) is a failure. Only called on an error.</summary>
    private static bool ReadsMissingTrait(string message, string expression)
    {
        if (message.Contains("'System.Object'", StringComparison.Ordinal) || message.Contains("'Object'", StringComparison.Ordinal))
        {
            return true;
        }

        const string missing = "No property or field '";
        var start = message.IndexOf(missing, StringComparison.Ordinal) + missing.Length;
        var end = start < missing.Length ? -1 : message.IndexOf('\'', start);
        return end > start &&
            expression.Contains(string.Concat(RuleExpressionGuard.Input, ".", message.AsSpan(start, end - start)), StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    /// <remarks>A rule that fails for the customer (RulesEngine reports an error other than a missing trait, or throws)
    /// does not hold, and the failure is reported once: its result, false, is remembered for the customer's traits like
    /// any other, so the same traits do not fail (nor cost RulesEngine's time) again on every event. Other rules of the
    /// workflow that failed in the same run are not remembered, so each reports its failure when asked.</remarks>
    public bool Evaluate(int ruleIndex, CustomerState customer, out RuleFailure? failure)
    {
        failure = null;
        ref var memo = ref customer.RuleMemo; // cleared whenever the customer's traits change
        if (memo.TryGet(ruleIndex, out var known))
        {
            return known;
        }

        var (workflow, rule, _) = _rules[ruleIndex];
        IDictionary<string, object?> input = new ExpandoObject();
        input["id"] = customer.Id;
        foreach (var (name, value) in customer.Traits)
        {
            input[name] = value.ToObject();
        }

        bool result;
        try
        {
            var results = _engine!.ExecuteAllRulesAsync(workflow, new RuleParameter(RuleExpressionGuard.Input, input)).AsTask().GetAwaiter().GetResult();
            result = false;
            foreach (var r in results)
            {
                if (Resolve($"{workflow}.{r.Rule.RuleName}") is not { } i)
                {
                    continue;
                }

                var error = string.IsNullOrEmpty(r.ExceptionMessage) || ReadsMissingTrait(r.ExceptionMessage, _rules[i].Expression) ? null : r.ExceptionMessage;
                if (i == ruleIndex)
                {
                    result = r.IsSuccess && error is null;
                    failure = error is null ? null : new RuleFailure($"{workflow}.{rule}", error);
                }
                else if (error is null)
                {
                    memo.Set(i, r.IsSuccess, _rules.Count);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = false;
            failure = new RuleFailure($"{workflow}.{rule}", ex.Message);
        }

        memo.Set(ruleIndex, result, _rules.Count);
        return result;
    }
}
