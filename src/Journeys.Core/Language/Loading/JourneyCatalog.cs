using Journeys.Diagnostics;
using Journeys.Inspection;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Rules;
using Journeys.Language.Templates;

namespace Journeys.Language.Loading;

/// <summary>A loaded journey folder: the journeys, the policy, the rules, and every diagnostic found on the way.
/// Immutable; the engine is built from it.</summary>
public sealed class JourneyCatalog
{
    internal JourneyCatalog(string? folder, IReadOnlyList<JourneyDefinition> journeys, PolicyDefinition policy,
        IReadOnlyList<Diagnostic> diagnostics, ActivityRequirements activity, RuleSet rules, TemplateSet templates)
    {
        Folder = folder;
        Definitions = journeys;
        PolicyDefinition = policy;
        Journeys = journeys.Select(j => new JourneyInfo(j)).ToList();
        Policy = new PolicyInfo(policy);
        Diagnostics = diagnostics;
        Activity = activity;
        Rules = rules;
        Templates = templates;
        Aggregates = activity.Slots
            .Select(s => new ActivityAggregate(s.EventType, s.Windows.ToList(), s.LastSeen))
            .ToList();
    }

    /// <summary>The folder the catalog was loaded from, if any.</summary>
    public string? Folder { get; }

    /// <summary>The journeys that loaded, in file-name order, for reading: steps, transitions, expressions' source text
    /// and where each was written.</summary>
    public IReadOnlyList<JourneyInfo> Journeys { get; }

    /// <summary>The pace policy, for reading (empty, with no tiers, caps or quiet hours, when the folder has none).</summary>
    public PolicyInfo Policy { get; }

    /// <summary>Every error and warning, in file order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>True when any diagnostic is an error: the catalog cannot run.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The RulesEngine rules that expressions can reference, as <c>Workflow.Rule</c>.</summary>
    public IEnumerable<string> RuleNames => Rules.Names;

    /// <summary>The activity aggregates the journeys and tiers read: exactly what the runtime keeps per customer.</summary>
    public IReadOnlyList<ActivityAggregate> Aggregates { get; }

    /// <summary>The parsed journeys <see cref="Journeys"/> describes: the compiler's input.</summary>
    internal IReadOnlyList<JourneyDefinition> Definitions { get; }

    /// <summary>The parsed policy <see cref="Policy"/> describes.</summary>
    internal PolicyDefinition PolicyDefinition { get; }

    internal ActivityRequirements Activity { get; }

    internal RuleSet Rules { get; }

    internal TemplateSet Templates { get; }

    /// <summary>Returns this catalog, or throws <see cref="JourneyLoadException"/> listing its errors.</summary>
    public JourneyCatalog ThrowIfInvalid() => HasErrors ? throw new JourneyLoadException(Diagnostics) : this;

    /// <summary>Finds a journey by id, or null.</summary>
    public JourneyInfo? Find(string id) => Journeys.FirstOrDefault(j => j.Id == id);
}
