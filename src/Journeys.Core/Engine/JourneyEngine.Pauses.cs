using Journeys.Telemetry;

namespace Journeys.Engine;

/// <summary>Pausing a journey (docs/operations.md, "Pausing a journey"): an operator closes a journey to new entries
/// without touching the customers inside it, and opens it again; the set of paused journeys is kept by the store.</summary>
public sealed partial class JourneyEngine
{
    private volatile string[] _paused = []; // sorted (ordinal); replaced whole, read by the processors made on start and reload

    /// <summary>The ids of the journeys paused now (<see cref="PauseJourneyAsync"/>), sorted; empty when none is.</summary>
    public IReadOnlyList<string> PausedJourneys => _paused;

    /// <summary>Pauses a journey: from now on no customer enters it (every version of it). An entry refused so is not held
    /// for later: an <c>on:</c> event is not entered, a <c>date:</c> day passes (the next one is armed), an <c>inactive:</c>
    /// entry waits for new activity and a new quiet period, and a <c>when:</c> condition is looked at again on the
    /// customer's next event after <see cref="ResumeJourneyAsync"/>. Each refusal is logged (event 52,
    /// <c>EntryRefusedPaused</c>, at Debug) and counted (<c>journeys.entries.refused</c>). Customers already inside go on as
    /// before: their timers fire on time, their sends go out, exits and the goal apply. The pause is saved by the store
    /// before it takes effect, so it survives a restart and a reload; each partition applies it in order with its queue
    /// (what was published before the call may still enter).</summary>
    /// <param name="journeyId">The journey's id.</param>
    /// <param name="cancellationToken">Cancels waiting for another control or a reload to finish; nothing changes then.</param>
    /// <returns>True when the journey was running and is paused now; false when it was paused already.</returns>
    /// <exception cref="ArgumentException">No journey has that id.</exception>
    /// <exception cref="InvalidOperationException">The engine is not running, or its store does not keep paused journeys.</exception>
    public Task<bool> PauseJourneyAsync(string journeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(journeyId);
        if (Catalog.Journeys.All(j => j.Id != journeyId))
        {
            throw new ArgumentException(
                $"No journey '{journeyId}'; journeys are {string.Join(", ", Catalog.Journeys.Select(j => j.Id).Distinct())}.", nameof(journeyId));
        }

        return SetPausedAsync(journeyId, paused: true, cancellationToken);
    }

    /// <summary>Resumes a paused journey: customers may enter it again from now on (entries refused while it was paused are
    /// not replayed). Saved by the store like <see cref="PauseJourneyAsync"/>.</summary>
    /// <param name="journeyId">The journey's id (also one paused before a reload took it out of the catalog).</param>
    /// <param name="cancellationToken">Cancels waiting for another control or a reload to finish; nothing changes then.</param>
    /// <returns>True when the journey was paused and runs now; false when it was not paused.</returns>
    /// <exception cref="ArgumentException">No journey has that id, and none of that id is paused.</exception>
    /// <exception cref="InvalidOperationException">The engine is not running, or its store does not keep paused journeys.</exception>
    public Task<bool> ResumeJourneyAsync(string journeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(journeyId);
        if (Catalog.Journeys.All(j => j.Id != journeyId) && !_paused.Contains(journeyId, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"No journey '{journeyId}'; journeys are {string.Join(", ", Catalog.Journeys.Select(j => j.Id).Distinct())}.", nameof(journeyId));
        }

        return SetPausedAsync(journeyId, paused: false, cancellationToken);
    }

    /// <summary>Saves the new set, then has every partition apply it. One at a time, and never during a reload (the
    /// reload's gate), so the processors a reload makes read a set that the store holds too.</summary>
    private async Task<bool> SetPausedAsync(string journeyId, bool paused, CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureRunning();
            var current = _paused;
            if (current.Contains(journeyId, StringComparer.Ordinal) == paused)
            {
                return false;
            }

            string[] next = paused
                ? [.. current.Append(journeyId).Order(StringComparer.Ordinal)]
                : [.. current.Where(id => id != journeyId)];
            if (_store is not null)
            {
                try
                {
                    await _store.SavePausedJourneysAsync(next, cancellationToken).ConfigureAwait(false);
                }
                catch (NotSupportedException ex)
                {
                    throw new InvalidOperationException(
                        $"Journey '{journeyId}' was not {(paused ? "paused" : "resumed")}: the store does not keep paused journeys, so the change would be " +
                        "lost at the next start. Implement IJourneyStore.LoadPausedJourneysAsync and SavePausedJourneysAsync.", ex);
                }
            }

            _paused = next;
            var controls = new List<Task<bool>>(_partitions.Length);
            foreach (var partition in _partitions)
            {
                var control = new PartitionControl<bool>((processor, now) => processor.SetPaused(next, now));
                await partition.EnqueueAsync(new WorkItem(WorkKind.Control, control, Now()), CancellationToken.None).ConfigureAwait(false); // saved: apply it everywhere
                controls.Add(control.Task);
            }

            await Task.WhenAll(controls).ConfigureAwait(false);
            if (paused)
            {
                _log.JourneyPaused(journeyId);
            }
            else
            {
                _log.JourneyResumed(journeyId);
            }

            return true;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>The paused journeys the store kept (none without a store).</summary>
    private async Task<string[]> LoadPausedAsync(CancellationToken cancellationToken) =>
        _store is null ? [] : [.. (await _store.LoadPausedJourneysAsync(cancellationToken).ConfigureAwait(false)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>An entry refused because its journey is paused (from a partition's worker): logged and counted.</summary>
    private void EntryRefusedPaused(string customerId, string journeyId)
    {
        _log.EntryRefusedPaused(customerId, journeyId);
        _metrics.EntryRefused(journeyId);
    }
}
