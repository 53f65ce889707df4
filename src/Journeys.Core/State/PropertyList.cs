using System.Diagnostics.CodeAnalysis;

namespace Journeys.State;

/// <summary>An event's properties as the events reader makes them: the pairs in one array, in the order of the line,
/// names compared ordinally, a repeated name's later value replacing the earlier in its place — what a
/// <see cref="Dictionary{TKey, TValue}"/> filled the same way reads as, at a third of its size (one object and one array
/// instead of a dictionary, its buckets and its entries). Filled by one reader (<see cref="Set"/>) before the event is
/// handed on, and only read after; a line with more than <see cref="MaxPairs"/> properties is read into a dictionary
/// instead, so no lookup scans far.</summary>
internal sealed class PropertyList : IReadOnlyDictionary<string, object?>
{
    /// <summary>The most pairs a list holds.</summary>
    public const int MaxPairs = 16;

    private KeyValuePair<string, object?>[] _pairs = [];
    private int _count;

    /// <summary>Sets <paramref name="key"/>: a new name is added at the end, a name already there gets the new value in
    /// its place. False (nothing set) when the list is full and the name is new.</summary>
    public bool Set(string key, object? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _pairs[i] = new(_pairs[i].Key, value);
            return true;
        }

        if (_count == MaxPairs)
        {
            return false;
        }

        if (_count == _pairs.Length)
        {
            Array.Resize(ref _pairs, Math.Clamp(_pairs.Length * 2, 2, MaxPairs));
        }

        _pairs[_count++] = new(key, value);
        return true;
    }

    /// <summary>The pairs in a dictionary, in their order (for a line with more than <see cref="MaxPairs"/>).</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var values = new Dictionary<string, object?>(_count + 4, StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            values[_pairs[i].Key] = _pairs[i].Value;
        }

        return values;
    }

    /// <inheritdoc/>
    public int Count => _count;

    /// <inheritdoc/>
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"property '{key}' is not set");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => this.Select(p => p.Key);

    /// <inheritdoc/>
    public IEnumerable<object?> Values => this.Select(p => p.Value);

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _pairs[i].Value : null;
        return i >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _pairs[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_pairs[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
