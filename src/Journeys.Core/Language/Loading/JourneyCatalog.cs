using Journeys.Diagnostics;
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
        Journeys = journeys;
        Policy = policy;
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

    /// <summary>The journeys that loaded, in file-name order.</summary>
    public IReadOnlyList<JourneyDefinition> Journeys { get; }

    /// <summary>The pace policy (<see cref="PolicyDefinition.Empty"/> when the folder has none).</summary>
    public PolicyDefinition Policy { get; }

    /// <summary>Every error and warning, in file order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>True when any diagnostic is an error: the catalog cannot run.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The RulesEngine rules that expressions can reference, as <c>Workflow.Rule</c>.</summary>
    public IEnumerable<string> RuleNames => Rules.Names;

    /// <summary>The activity aggregates the journeys and tiers read: exactly what the runtime keeps per customer.</summary>
    public IReadOnlyList<ActivityAggregate> Aggregates { get; }

    internal ActivityRequirements Activity { get; }

    internal RuleSet Rules { get; }

    internal TemplateSet Templates { get; }

    /// <summary>Returns this catalog, or throws <see cref="JourneyLoadException"/> listing its errors.</summary>
    public JourneyCatalog ThrowIfInvalid() => HasErrors ? throw new JourneyLoadException(Diagnostics) : this;

    /// <summary>Finds a journey by id, or null.</summary>
    public JourneyDefinition? Find(string id) => Journeys.FirstOrDefault(j => j.Id == id);
}
