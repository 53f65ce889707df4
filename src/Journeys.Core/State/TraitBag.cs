using System.Collections;

namespace Journeys.State;

/// <summary>A customer's traits: name and value pairs in one array, in the order they were first set. A customer has a
/// handful of traits, so a linear scan with ordinal comparison (equal references first) beats hashing, and the pairs
/// take one small array instead of a dictionary's three objects (72 bytes for two traits instead of about 260). The
/// array holds exactly the traits set (traits change at the pace of profile updates, not events), so the bag is one
/// reference. The array is never changed once set (a change makes a new one), so <see cref="Snapshot"/> shares it
/// instead of copying. A mutable struct held in a field of <see cref="CustomerState"/>: use it through that field, never through
/// a copy.</summary>
internal struct TraitBag : IEnumerable<KeyValuePair<string, Value>>
{
    private KeyValuePair<string, Value>[]? _pairs; // exactly the traits set; null when none

    /// <summary>The array the traits sit in, or null (read only to prefetch it).</summary>
    internal readonly KeyValuePair<string, Value>[]? PairsArray => _pairs;

    /// <summary>How many traits are set.</summary>
    public readonly int Count => _pairs?.Length ?? 0;

    /// <summary>The trait's value; throws <see cref="KeyNotFoundException"/> when it is not set. Setting adds or replaces.</summary>
    public Value this[string name]
    {
        readonly get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"trait '{name}' is not set");
        set
        {
            var i = IndexOf(name);
            if (i >= 0)
            {
                // Copied on write: a snapshot (Snapshot) taken before keeps the values it was taken with.
                var pairs = (KeyValuePair<string, Value>[])_pairs!.Clone();
                pairs[i] = new(pairs[i].Key, value);
                _pairs = pairs;
                return;
            }

            Array.Resize(ref _pairs, Count + 1);
            _pairs[^1] = new(name, value);
        }
    }

    /// <summary>The trait's value, if set.</summary>
    public readonly bool TryGetValue(string name, out Value value)
    {
        var i = IndexOf(name);
        value = i >= 0 ? _pairs![i].Value : default;
        return i >= 0;
    }

    /// <summary>Removes a trait; false when it was not set.</summary>
    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        var pairs = _pairs!;
        if (pairs.Length == 1)
        {
            _pairs = null;
            return true;
        }

        var kept = new KeyValuePair<string, Value>[pairs.Length - 1];
        Array.Copy(pairs, kept, i);
        Array.Copy(pairs, i + 1, kept, i, kept.Length - i);
        _pairs = kept;
        return true;
    }

    /// <summary>The traits as they are now, as plain values (<see cref="Value.ToObject"/>), for a message and its
    /// templates: a view of the current array, which no later change touches, so nothing is copied.</summary>
    public readonly TraitSnapshot Snapshot() => new(_pairs ?? []);

    private readonly int IndexOf(string name)
    {
        var pairs = _pairs ?? [];
        for (var i = 0; i < pairs.Length; i++)
        {
            if (string.Equals(pairs[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The traits in the order they were first set.</summary>
    public readonly ArraySegment<KeyValuePair<string, Value>>.Enumerator GetEnumerator() =>
        new ArraySegment<KeyValuePair<string, Value>>(_pairs ?? []).GetEnumerator();

    readonly IEnumerator<KeyValuePair<string, Value>> IEnumerable<KeyValuePair<string, Value>>.GetEnumerator() => GetEnumerator();

    readonly IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
