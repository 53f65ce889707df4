using System.Collections.Concurrent;

namespace Journeys.State;

/// <summary>Values that millions of customers share but few of which exist (time zones, tier names), each known by a
/// 16-bit number: a customer keeps two bytes for such a value instead of an eight-byte reference. Process-wide and
/// append-only; reading a value by its number is an array read, without a lock. Thread-safe: partitions on different
/// threads number values as they meet them.</summary>
internal sealed class SmallIndex<T>
    where T : class
{
    private readonly ConcurrentDictionary<T, ushort> _numbers;
    private readonly Lock _lock = new();
    private T[] _values;

    /// <param name="first">The value numbered 0: what a new customer holds.</param>
    /// <param name="comparer">When two values are the same one.</param>
    public SmallIndex(T first, IEqualityComparer<T> comparer)
    {
        _numbers = new ConcurrentDictionary<T, ushort>(comparer) { [first] = 0 };
        _values = [first];
    }

    /// <summary>The value numbered <paramref name="number"/>.</summary>
    public T this[ushort number] => Volatile.Read(ref _values)[number];

    /// <summary>The number of <paramref name="value"/>, numbering it when it is new.</summary>
    /// <exception cref="InvalidOperationException">More than 65,536 distinct values.</exception>
    public ushort NumberOf(T value)
    {
        if (_numbers.TryGetValue(value, out var number))
        {
            return number;
        }

        lock (_lock)
        {
            if (_numbers.TryGetValue(value, out number))
            {
                return number;
            }

            var values = _values;
            if (values.Length > ushort.MaxValue)
            {
                throw new InvalidOperationException($"More than {ushort.MaxValue + 1} distinct {typeof(T).Name} values.");
            }

            // The array is published before the number, so a reader holding the number finds the value.
            Volatile.Write(ref _values, [.. values, value]);
            _numbers[value] = (ushort)values.Length;
            return (ushort)values.Length;
        }
    }
}
