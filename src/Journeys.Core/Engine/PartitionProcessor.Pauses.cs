namespace Journeys.Engine;

/// <summary>Paused journeys as a partition sees them (see <see cref="JourneyEngine.PauseJourneyAsync"/>).</summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>The ids of the journeys whose entries are refused; every version of such a journey is closed to new runs.
    /// Set when the processor is made and by the engine's pause and resume controls, on the partition's worker.</summary>
    public IReadOnlyCollection<string> PausedJourneys
    {
        get => [.. _model.Journeys.Where(j => _interpreter.Paused?[j.Index] == true).Select(j => j.Id).Distinct()];
        set => _interpreter.Paused = value.Count == 0 ? null : [.. _model.Journeys.Select(j => value.Contains(j.Id))];
    }

    /// <summary>Told of each entry refused because its journey is paused: the customer and journey ids.</summary>
    public Action<string, string>? EntryRefused
    {
        get => _interpreter.EntryRefused;
        init => _interpreter.EntryRefused = value;
    }

    /// <summary>Applies a pause or resume in order with the partition's inputs: what was queued before it ran under the
    /// old set (timers due by now fire first), what comes after runs under the new one.</summary>
    public bool SetPaused(IReadOnlyCollection<string> journeyIds, long nowTicks)
    {
        AdvanceTo(nowTicks);
        PausedJourneys = journeyIds;
        return true;
    }
}
