using Journeys.Compilation;
using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Engine;

/// <summary>What an engine starting on a store does with journey versions (docs/operations.md, "Versions of journeys"):
/// compares the catalog's versions with those the store ran and the customers it holds, compiles the retired versions
/// customers finish on (<c>versioning: finish</c>), decides which customers move to the new version
/// (<c>versioning: migrate</c>, or an older version the store does not hold, or a version whose text changed), and
/// lists the versions the store is to keep (<see cref="ToSave"/>). Runs once, when the engine starts.</summary>
internal sealed class VersionPlan
{
    private readonly Dictionary<(string Id, int Version), int> _compiled = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    private VersionPlan(RuntimeModel model, IReadOnlyList<CustomerSnapshot> customers)
    {
        Model = model;
        Customers = customers;
        foreach (var journey in model.Journeys)
        {
            _compiled[(journey.Id, journey.Version)] = journey.Index;
        }
    }

    public RuntimeModel Model { get; }

    /// <summary>The versions the store keeps once the engine starts (the current ones and those customers finish on):
    /// saved by the engine after every check at start passed, so a refused start writes nothing.</summary>
    public IReadOnlyList<JourneyVersionSource> ToSave { get; private init; } = [];

    /// <summary>The ids of the journeys the store had kept a version of when the engine started (empty without a store):
    /// a journey of the catalog with a source that is not among them was deployed while no engine ran.</summary>
    public IReadOnlySet<string> StoredJourneyIds { get; private init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Every stored customer (empty once <see cref="ReleaseCustomers"/> was called).</summary>
    public IReadOnlyList<CustomerSnapshot> Customers { get; private set; }

    /// <summary>Lets the snapshots read at start go once the partitions adopted them: the engine keeps the plan to load
    /// evicted customers back (<see cref="RunsAsIs"/>), not the snapshots.</summary>
    public void ReleaseCustomers() => Customers = [];

    /// <summary>The compiled journey (current or retired) that runs <paramref name="version"/> of a journey id as it is,
    /// or null when customers inside that version must move to the current one.</summary>
    public CompiledJourney? RunsAsIs(string journeyId, int version)
    {
        if (!_compiled.TryGetValue((journeyId, version), out var index))
        {
            return null;
        }

        var journey = Model.Journeys[index];
        return journey.AcceptsEntries && _changed.Contains(journeyId) ? null : journey;
    }

    /// <summary>Reads the store (customers decoded from their records), checks the catalog's versions against it, compiles
    /// what still runs and lists the versions to keep; writes nothing. Without a store, the model of the catalog alone.</summary>
    /// <exception cref="InvalidOperationException">A journey's version went down; the message names every such journey.</exception>
    /// <exception cref="JourneyLoadException">A retired version customers are inside no longer compiles against the
    /// current rules and templates.</exception>
    /// <exception cref="JourneyRecordException">A customer's record cannot be read.</exception>
    public static async Task<VersionPlan> ResolveAsync(JourneyCatalog catalog, IJourneyStore? store, ILogger log, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return new VersionPlan(new RuntimeModel(catalog), []);
        }

        var stored = await store.LoadJourneyVersionsAsync(cancellationToken).ConfigureAwait(false);
        var customers = new List<CustomerSnapshot>();
        await foreach (var record in store.LoadCustomersAsync(cancellationToken).ConfigureAwait(false))
        {
            customers.Add(RecordCodec.Decode(record));
        }

        var inside = customers.SelectMany(c => c.Instances)
            .GroupBy(i => (i.JourneyId, i.Version))
            .ToDictionary(g => g.Key, g => g.Count());
        var problems = new List<string>();
        var changed = new List<string>();
        var retired = new List<JourneyVersionSource>();
        foreach (var journey in catalog.Definitions)
        {
            var kept = stored.Where(v => v.JourneyId == journey.Id).ToList();
            var older = inside.Where(x => x.Key.JourneyId == journey.Id && x.Key.Version != journey.Version)
                .Select(x => (x.Key.Version, Customers: x.Value)).OrderBy(x => x.Version).ToList();
            var highest = kept.Select(v => v.Version).Concat(older.Select(x => x.Version)).DefaultIfEmpty(0).Max();
            if (highest > journey.Version)
            {
                problems.Add($"Journey '{journey.Id}' is version {journey.Version} in the folder, but the store has run version {highest}: " +
                             $"a version never goes down. To go back, deploy the older definition as version {highest + 1}.");
                continue;
            }

            if (kept.FirstOrDefault(v => v.Version == journey.Version) is { } same && journey.Source is not null && same.Source != journey.Source)
            {
                changed.Add(journey.Id);
                log.JourneyVersionSourceChanged(journey.Id, journey.Version);
            }

            if (older.Count == 0)
            {
                continue;
            }

            var list = string.Join(", ", older.Select(x => x.Version));
            var count = older.Sum(x => x.Customers);
            if (journey.Versioning == VersioningMode.Migrate)
            {
                log.JourneyVersionDeployed(journey.Id, journey.Version, count, list, "move to it (versioning: migrate)");
                continue;
            }

            var finishing = older.Where(x => kept.Any(v => v.Version == x.Version)).ToList();
            retired.AddRange(finishing.Select(x => kept.First(v => v.Version == x.Version)));
            if (finishing.Count > 0)
            {
                log.JourneyVersionDeployed(journey.Id, journey.Version, finishing.Sum(x => x.Customers), string.Join(", ", finishing.Select(x => x.Version)),
                    "finish on them (versioning: finish)");
            }

            var lost = older.Except(finishing).ToList();
            if (lost.Count > 0)
            {
                log.JourneyVersionNotKept(journey.Id, journey.Version, string.Join(", ", lost.Select(x => x.Version)), lost.Sum(x => x.Customers));
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The journey versions cannot be deployed on this store:" + Environment.NewLine +
                                                string.Join(Environment.NewLine, problems));
        }

        var (extended, definitions, diagnostics) = retired.Count == 0 ? (catalog, [], []) : JourneyLoader.LoadVersions(catalog, retired);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new JourneyLoadException(diagnostics);
        }

        var plan = new VersionPlan(new RuntimeModel(extended, definitions), customers)
        {
            ToSave = catalog.Definitions.Where(j => j.Source is not null)
                .Select(j => new JourneyVersionSource(j.Id, j.Version, j.Source!))
                .Concat(definitions.Select(j => new JourneyVersionSource(j.Id, j.Version, j.Source!)))
                .ToList(),
            StoredJourneyIds = stored.Select(v => v.JourneyId).ToHashSet(StringComparer.Ordinal),
        };
        plan._changed.UnionWith(changed);
        return plan;
    }
}
