using System.Collections;
using Journeys.Expressions;

namespace Journeys.Runtime;

/// <summary>A customer's traits: name and value pairs in one array, in the order they were first set. A customer has a
/// handful of traits, so a linear scan with ordinal comparison (equal references first) beats hashing, and the pairs
/// take one small array instead of a dictionary's three objects (about 90 bytes for two traits instead of about 260).
/// A mutable struct held in a field of <see cref="CustomerState"/>: use it through that field, never through a copy.</summary>
internal struct TraitBag : IEnumerable<KeyValuePair<string, Value>>
{
    private KeyValuePair<string, Value>[]? _pairs;
    private int _count;

    /// <summary>How many traits are set.</summary>
    public readonly int Count => _count;

    /// <summary>The trait's value; throws <see cref="KeyNotFoundException"/> when it is not set. Setting adds or replaces.</summary>
    public Value this[string name]
    {
        readonly get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"trait '{name}' is not set");
        set
        {
            var i = IndexOf(name);
            if (i >= 0)
            {
                _pairs![i] = new(_pairs[i].Key, value);
                return;
            }

            if (_pairs is null || _count == _pairs.Length)
            {
                Array.Resize(ref _pairs, _pairs is null ? 2 : _pairs.Length * 2);
            }

            _pairs[_count++] = new(name, value);
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

        Array.Copy(_pairs!, i + 1, _pairs!, i, _count - i - 1);
        _pairs![--_count] = default;
        return true;
    }

    private readonly int IndexOf(string name)
    {
        var pairs = _pairs;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(pairs![i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The traits in the order they were first set.</summary>
    public readonly ArraySegment<KeyValuePair<string, Value>>.Enumerator GetEnumerator() =>
        new ArraySegment<KeyValuePair<string, Value>>(_pairs ?? [], 0, _count).GetEnumerator();

    readonly IEnumerator<KeyValuePair<string, Value>> IEnumerable<KeyValuePair<string, Value>>.GetEnumerator() => GetEnumerator();

    readonly IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
