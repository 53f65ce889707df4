namespace Journeys.State;

/// <summary>Per journey with <c>case:</c> and case key, what outlives the key's runs: how often the key entered and when it
/// last did, for the journey's <c>reentry</c> rule, which counts per key. Held by a customer only once they entered a
/// journey with cases (<see cref="CustomerState.Cases"/>).</summary>
internal sealed class CaseHistory
{
    private readonly Dictionary<(int Journey, string Key), (int Entries, long LastEntryTicks)> _keys = [];

    /// <summary>How often key <paramref name="key"/> entered journey <paramref name="journey"/> (the index of its current
    /// version), and when it last did; (0, 0) for a key never entered.</summary>
    public (int Entries, long LastEntryTicks) Of(int journey, string key) => _keys.GetValueOrDefault((journey, key));

    /// <summary>Records an entry of <paramref name="key"/> at <paramref name="ticks"/>.</summary>
    public void Entered(int journey, string key, long ticks)
    {
        var (entries, _) = Of(journey, key);
        _keys[(journey, key)] = (entries + 1, ticks);
    }

    /// <summary>Restores a key's history (from a store).</summary>
    public void Restore(int journey, string key, int entries, long lastEntryTicks) => _keys[(journey, key)] = (entries, lastEntryTicks);

    /// <summary>The keys of <paramref name="journey"/>, in key order (what a snapshot writes).</summary>
    public IEnumerable<(string Key, int Entries, long LastEntryTicks)> KeysOf(int journey) =>
        _keys.Where(kv => kv.Key.Journey == journey).OrderBy(kv => kv.Key.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key.Key, kv.Value.Entries, kv.Value.LastEntryTicks));
}
