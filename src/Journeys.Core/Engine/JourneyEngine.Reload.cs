using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Telemetry;

namespace Journeys.Engine;

/// <summary>Reloading journeys without a restart (docs/operations.md, "Reloading journeys"): validate, then do at once
/// what a restart on the store does — save, apply the versioning rules (<see cref="VersionPlan"/>), restore every
/// customer into the new model — while inputs wait in the partitions' queues.</summary>
public sealed partial class JourneyEngine
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);

    /// <summary>Loads <paramref name="folder"/> and reloads it: see <see cref="ReloadAsync(JourneyCatalog, CancellationToken)"/>.</summary>
    /// <param name="folder">The journey folder.</param>
    /// <param name="cancellationToken">Cancels waiting for the partitions to pause; nothing is changed then.</param>
    public Task<JourneyReloadResult> ReloadAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return ReloadAsync(JourneyLoader.LoadFolder(folder), cancellationToken);
    }

    /// <summary>Runs <paramref name="catalog"/> from now on, without a restart. First it is checked: load errors, a
    /// journey whose version is lower than the one running, a channel no adapter serves; any error and nothing changes
    /// (the result lists them). Then every partition applies what was published before the call, saves it and pauses;
    /// the new journey versions are applied with the rules a restart on the store applies (<c>versioning: finish</c>:
    /// customers finish on the version they are in; <c>migrate</c>: they move to the new version's step of the same
    /// name; a changed text under the same version moves them as migrate does); every customer is restored into the new
    /// model; and the partitions go on. Inputs published meanwhile wait in the queues and are applied under the new
    /// journeys. One reload runs at a time.</summary>
    /// <param name="catalog">The journeys to run (such as <see cref="JourneyLoader.LoadFolder"/> of the edited folder).</param>
    /// <param name="cancellationToken">Cancels waiting for the partitions to pause; nothing is changed then.</param>
    /// <returns>Whether it was applied, and the diagnostics.</returns>
    /// <exception cref="InvalidOperationException">The engine is not running, or it has no store: customers are carried
    /// across a reload through the store (the in-memory store will do).</exception>
    public async Task<JourneyReloadResult> ReloadAsync(JourneyCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureRunning();
            if (_store is null)
            {
                throw new InvalidOperationException("Reloading journeys needs a store: customers are carried to the new journeys through it. " +
                                                    "Build the engine with UseStore (an InMemoryJourneyStore will do).");
            }

            var problems = catalog.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Concat(Check(catalog)).ToList();
            if (problems.Count > 0)
            {
                return Refused(catalog, problems);
            }

            var resumes = _partitions.Select(_ => new TaskCompletionSource<PartitionProcessor?>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var applied = false;
            try
            {
                var pauses = _partitions.Select((p, i) => p.PauseAsync(resumes[i].Task, cancellationToken)).ToArray();
                await Task.WhenAll(pauses).ConfigureAwait(false); // a store failure or a cancellation: the finally resumes them as they were

                VersionPlan plan;
                try
                {
                    plan = await VersionPlan.ResolveAsync(catalog, _store, _log, cancellationToken).ConfigureAwait(false);
                }
                catch (JourneyLoadException ex)
                {
                    return Refused(catalog, ex.Diagnostics); // an older version customers finish on no longer compiles
                }

                if (plan.ToSave.Count > 0)
                {
                    await _store.SaveJourneyVersionsAsync(plan.ToSave, cancellationToken).ConfigureAwait(false);
                }

                Model = plan.Model;
                var processors = _partitions.Select(p => p.CreateProcessor()).ToArray();
                var now = TimeProvider.GetUtcNow().UtcTicks;
                foreach (var snapshot in plan.Customers)
                {
                    processors[PartitionOf(snapshot.Id, processors.Length)].Adopt(SnapshotMapper.FromSnapshot(snapshot, plan, now), now);
                }

                plan.ReleaseCustomers();
                _plan = plan;

                Catalog = catalog;
                applied = true;
                for (var i = 0; i < resumes.Length; i++)
                {
                    resumes[i].TrySetResult(processors[i]);
                }

                _log.JourneysReloaded(catalog.Journeys.Count, plan.Customers.Count);
                return new JourneyReloadResult { Applied = true, Diagnostics = catalog.Diagnostics, Catalog = catalog };
            }
            finally
            {
                if (!applied)
                {
                    foreach (var resume in resumes)
                    {
                        resume.TrySetResult(null); // go on as before
                    }
                }
            }
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>What only the running engine can refuse: a version going down, a channel without an adapter.</summary>
    private List<Diagnostic> Check(JourneyCatalog catalog)
    {
        var problems = new List<Diagnostic>();
        foreach (var journey in catalog.Definitions)
        {
            var running = Model.Journeys.Where(j => j.Id == journey.Id).Select(j => j.Version).DefaultIfEmpty(0).Max();
            if (running > journey.Version)
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, journey.Location, DiagnosticCodes.InvalidValue,
                    $"journey '{journey.Id}' is version {journey.Version}, but the engine runs version {running}: a version never goes down " +
                    $"(to go back, deploy the older definition as version {running + 1})"));
            }
        }

        var registered = _channelNames.ToHashSet(StringComparer.Ordinal);
        if (!registered.Contains(RecordingChannel.AnyName))
        {
            foreach (var send in catalog.Definitions.SelectMany(j => j.Steps).SelectMany(s => s.Sends).Where(s => !registered.Contains(s.Channel)))
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, send.Location, DiagnosticCodes.InvalidValue,
                    $"channel '{send.Channel}' has no adapter in this engine; channels are {string.Join(", ", _channelNames.Order(StringComparer.Ordinal))}"));
            }
        }

        var actions = _actionNames.ToHashSet(StringComparer.Ordinal);
        foreach (var call in catalog.Definitions.SelectMany(j => j.Steps).Select(s => s.Call).OfType<Language.Definitions.CallDefinition>().Where(c => !actions.Contains(c.Action)))
        {
            problems.Add(new Diagnostic(DiagnosticSeverity.Error, call.ActionLocation, DiagnosticCodes.InvalidValue,
                $"action '{call.Action}' is not registered in this engine; " + (actions.Count == 0 ? "it has none (AddAction)" : $"actions are {string.Join(", ", _actionNames.Order(StringComparer.Ordinal))}")));
        }

        return problems;
    }

    private JourneyReloadResult Refused(JourneyCatalog catalog, IReadOnlyList<Diagnostic> errors)
    {
        _log.JourneysReloadRefused(errors.Count(d => d.Severity == DiagnosticSeverity.Error), errors.FirstOrDefault()?.ToString() ?? "");
        return new JourneyReloadResult { Applied = false, Diagnostics = errors, Catalog = catalog };
    }
}
