using System.Diagnostics.CodeAnalysis;

namespace Journeys.State;

/// <summary>A customer's traits at one moment, read as plain values (<see cref="Value.ToObject"/>: a number as a
/// <see cref="double"/>, a timestamp as a <see cref="DateTimeOffset"/>, a list as a <see cref="List{T}"/>), in the order
/// they were first set, names compared ordinally. A view of the trait array of <see cref="TraitBag"/>, which is copied
/// on write, so a snapshot never changes after it is taken and may be read from any thread (a message's
/// <c>Traits</c> is read by the delivery lanes while the partition goes on).</summary>
internal sealed class TraitSnapshot(KeyValuePair<string, Value>[] pairs) : IReadOnlyDictionary<string, object?>
{
    /// <summary>No traits.</summary>
    public static TraitSnapshot Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => pairs.Length;

    /// <inheritdoc/>
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"trait '{key}' is not set");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => pairs.Select(p => p.Key);

    /// <inheritdoc/>
    public IEnumerable<object?> Values => pairs.Select(p => p.Value.ToObject());

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? pairs[i].Value.ToObject() : null;
        return i >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var (name, value) in pairs)
        {
            yield return new(name, value.ToObject());
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < pairs.Length; i++)
        {
            if (string.Equals(pairs[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
