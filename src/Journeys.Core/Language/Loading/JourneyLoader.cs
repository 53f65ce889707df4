using Journeys.Diagnostics;
using Journeys.Files;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Rules;
using Journeys.Language.Templates;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

/// <summary>Loads a journey folder (<c>*.yaml</c> journeys, <c>policy.yaml</c>, <c>rules/*.json</c>, <c>templates/</c>):
/// parses, checks and compiles everything once, and reports every problem as a diagnostic. Never throws for bad input.</summary>
public static class JourneyLoader
{
    /// <summary>Loads a folder. Diagnostics name files relative to the current directory when they are under it.</summary>
    /// <param name="folder">The journey folder.</param>
    public static JourneyCatalog LoadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var diagnostics = new List<Diagnostic>();
        string Display(string path)
        {
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
            return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
        }

        if (!Directory.Exists(folder))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(folder, 0, 0), DiagnosticCodes.Io, "no such folder"));
            return new JourneyCatalog(folder, [], PolicyDefinition.Empty, diagnostics, new ActivityRequirements(), RuleSet.Empty, TemplateSet.Empty);
        }

        var rules = RuleSet.Load(Path.Combine(folder, "rules"), Display, diagnostics);
        var documents = new List<(string File, YNode? Root, string? Text)>();
        foreach (var path in InputFile.Find(folder, "*", recurse: false, Display, diagnostics)
                     .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
        {
            var display = Display(path);
            var root = YamlDocumentReader.ReadFile(path, display, diagnostics, out var text);
            documents.Add((display, root, text));
        }

        var templatesFolder = Path.Combine(folder, "templates");
        var templates = Directory.Exists(templatesFolder) ? TemplateSet.Load(templatesFolder, Display, diagnostics) : TemplateSet.Empty;
        return Build(folder, documents, rules, diagnostics, templates);
    }

    /// <summary>Loads definitions given as text (tests, tools, definitions generated in code).</summary>
    /// <param name="files">Each file's name (used in diagnostics; <c>policy.yaml</c> for the policy) and YAML text.</param>
    public static JourneyCatalog LoadYaml(params (string FileName, string Yaml)[] files)
    {
        var diagnostics = new List<Diagnostic>();
        var documents = files.Select(f => (f.FileName, YamlDocumentReader.Read(f.Yaml, f.FileName, diagnostics), (string?)f.Yaml)).ToList();
        return Build(null, documents, RuleSet.Empty, diagnostics, TemplateSet.Empty);
    }

    private static JourneyCatalog Build(string? folder, List<(string File, YNode? Root, string? Text)> documents, RuleSet rules,
        List<Diagnostic> diagnostics, TemplateSet templates)
    {
        var activity = new ActivityRequirements();
        var compiler = new ExpressionCompiler(activity, rules.Resolve, () => rules.Names);
        var parser = new DefinitionParser(compiler, diagnostics);
        var journeys = new List<JourneyDefinition>();
        var ids = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        YMapping? policyRoot = null;
        string? policyFile = null;
        var journeyRoots = new List<(YMapping Map, string? Text, bool Duplicate)>();

        foreach (var (file, root, text) in documents)
        {
            if (root is null)
            {
                continue;
            }

            if (root is not YMapping map)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, root.Location, DiagnosticCodes.InvalidValue,
                    $"expected a mapping with the top-level key 'journey:' (or 'policy:' in policy.yaml), not {root.Kind}"));
                continue;
            }

            var isPolicyFile = Path.GetFileNameWithoutExtension(file).Equals("policy", StringComparison.OrdinalIgnoreCase);
            if (isPolicyFile || (map["policy"] is not null && map["journey"] is null))
            {
                if (policyRoot is not null)
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, map.Location, DiagnosticCodes.Duplicate,
                        $"a folder has at most one policy; {policyFile} defines one already"));
                    continue;
                }

                (policyRoot, policyFile) = (map, file);
                continue;
            }

            if (map["journey"] is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, map.Location, DiagnosticCodes.MissingKey,
                    "missing the top-level key 'journey:' (a journey file) or 'policy:' (policy.yaml)"));
                continue;
            }

            var duplicate = false;
            if (map["journey"] is YScalar idNode)
            {
                if (ids.TryGetValue(idNode.Value, out var first))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, idNode.Location, DiagnosticCodes.Duplicate,
                        $"duplicate journey id '{idNode.Value}' (first defined at {first})"));
                    duplicate = true;
                }
                else
                {
                    ids[idNode.Value] = idNode.Location;
                }
            }

            journeyRoots.Add((map, text, duplicate));
        }

        // The policy first: journeys name its calendars (and its caps name journeys, by the ids gathered above).
        var policy = PolicyDefinition.Empty;
        if (policyRoot is not null)
        {
            policy = parser.ParsePolicy(policyRoot, ids.Keys) ?? PolicyDefinition.Empty;
        }

        foreach (var (map, text, duplicate) in journeyRoots)
        {
            var journey = parser.ParseJourney(map);
            if (journey is not null && !duplicate)
            {
                journeys.Add(journey with { Source = text });
                if (journey.Entry is InactivityEntry inactive)
                {
                    foreach (var type in inactive.Of)
                    {
                        activity.RequireLastSeen(type);
                    }
                }
            }
        }

        CheckTemplates(parser.Sends, templates, diagnostics); // of every journey parsed, also those refused for other errors
        diagnostics.Sort((a, b) => (a.Location.File, a.Location.Line, a.Location.Column).CompareTo((b.Location.File, b.Location.Line, b.Location.Column)));
        return new JourneyCatalog(folder, journeys, policy, diagnostics, activity, rules, templates);
    }

    /// <summary>Compiles journey versions a store kept (<see cref="JourneyVersionSource"/>) against
    /// <paramref name="catalog"/>'s rules and templates, as if each were a file of its folder: an older version's
    /// expressions read the current rules, and its sends render the current template files. Returns a catalog equal to
    /// <paramref name="catalog"/> except that the activity the runtime keeps also covers what the old versions read, the
    /// versions that compiled, and the diagnostics of those that did not (files are named <c>store:id@vN</c>).</summary>
    internal static (JourneyCatalog Catalog, List<JourneyDefinition> Journeys, List<Diagnostic> Diagnostics) LoadVersions(JourneyCatalog catalog,
        IEnumerable<JourneyVersionSource> versions)
    {
        var diagnostics = new List<Diagnostic>();
        var activity = catalog.Activity.Clone();
        var compiler = new ExpressionCompiler(activity, catalog.Rules.Resolve, () => catalog.Rules.Names);
        var parser = new DefinitionParser(compiler, diagnostics)
        {
            Calendars = catalog.PolicyDefinition.Calendars,
            CalendarNames = catalog.PolicyDefinition.Calendars.Keys.ToList(),
        };
        var journeys = new List<JourneyDefinition>();
        foreach (var version in versions)
        {
            var file = $"store:{version.JourneyId}@v{version.Version}";
            var before = diagnostics.Count;
            if (YamlDocumentReader.Read(version.Source, file, diagnostics) is not YMapping map || map["journey"] is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(file, 1, 1), DiagnosticCodes.InvalidValue,
                    "the stored source is not a journey definition"));
                continue;
            }

            var journey = parser.ParseJourney(map);
            if (journey is not null && (journey.Id != version.JourneyId || journey.Version != version.Version))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, journey.Location, DiagnosticCodes.InvalidValue,
                    $"the stored source defines '{journey.Id}' version {journey.Version}, not '{version.JourneyId}' version {version.Version}"));
                continue;
            }

            if (journey is null || diagnostics.Skip(before).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                continue;
            }

            CheckTemplates(journey.Steps.SelectMany(st => st.Sends), catalog.Templates, diagnostics);
            if (!diagnostics.Skip(before).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                journeys.Add(journey with { Source = version.Source });
            }
        }

        var extended = new JourneyCatalog(catalog.Folder, catalog.Definitions, catalog.PolicyDefinition, catalog.Diagnostics, activity, catalog.Rules, catalog.Templates);
        return (extended, journeys, diagnostics);
    }

    private static void CheckTemplates(IEnumerable<SendDefinition> sends, TemplateSet templates, List<Diagnostic> diagnostics)
    {
        if (!templates.IsChecked)
        {
            return;
        }

        foreach (var send in sends.Where(send => !templates.Has(send.Template, send.Channel)))
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, send.Location, DiagnosticCodes.Template,
                $"template '{send.Template}' not found: expected templates/{send.Template}.liquid (or templates/{send.Template}.{send.Channel}.liquid)"));
        }
    }
}
