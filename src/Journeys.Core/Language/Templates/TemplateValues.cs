using Fluid;
using Fluid.Values;
using Journeys.State;

namespace Journeys.Language.Templates;

/// <summary>What a template reads as one of its objects (<c>customer</c>, <c>event</c>, <c>journey</c>, <c>entry</c>):
/// a dictionary of plain values read in place, with a few fixed names laid over it (the customer's <c>id</c>, the
/// event's <c>type</c>). It reads as the copy a render used to make — the dictionary's entries in their order, each
/// fixed name replacing an entry of that name or following them, names compared ordinally, each value converted by
/// Fluid as it is read — without making it. A partition's <see cref="TemplateRenderer"/> keeps one per object and points
/// it at each send's values in turn.</summary>
internal sealed class TemplateValues : IFluidIndexable
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>(StringComparer.Ordinal);

    private readonly TemplateOptions _options;
    private readonly string[] _names;
    private readonly object?[] _values;
    private IReadOnlyDictionary<string, object?> _entries = None;

    public TemplateValues(TemplateOptions options, params string[] names)
    {
        _options = options;
        _names = names;
        _values = new object?[names.Length];
    }

    /// <summary>Reads <paramref name="entries"/> (none when null) with the fixed names' values laid over them, in the
    /// order the names were given.</summary>
    public void Set(IReadOnlyDictionary<string, object?>? entries, object? first = null, object? second = null, object? third = null)
    {
        _entries = entries is null ? None : Ordinal(entries);
        _values[0] = first;
        if (_values.Length > 1)
        {
            _values[1] = second;
        }

        if (_values.Length > 2)
        {
            _values[2] = third;
        }
    }

    /// <summary>Forgets the values of the last send (nothing of one customer's is kept once its render is done).</summary>
    public void Clear()
    {
        _entries = None;
        Array.Clear(_values);
    }

    /// <summary>Dictionaries that compare names ordinally are read as they are; any other (a case-insensitive one a
    /// host passed, say) is copied, as every render did before, so a name matches exactly as it did then.</summary>
    private static IReadOnlyDictionary<string, object?> Ordinal(IReadOnlyDictionary<string, object?> entries) => entries switch
    {
        TraitSnapshot or PropertyList => entries,
        Dictionary<string, object?> d when ReferenceEquals(d.Comparer, StringComparer.Ordinal) || ReferenceEquals(d.Comparer, EqualityComparer<string>.Default) => entries,
        _ => new Dictionary<string, object?>(entries, StringComparer.Ordinal),
    };

    /// <inheritdoc/>
    public int Count
    {
        get
        {
            var count = _entries.Count;
            foreach (var name in _names)
            {
                if (!_entries.ContainsKey(name))
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var (key, _) in _entries)
            {
                yield return key;
            }

            foreach (var name in _names)
            {
                if (!_entries.ContainsKey(name))
                {
                    yield return name;
                }
            }
        }
    }

    /// <inheritdoc/>
    public bool TryGetValue(string name, out FluidValue value)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                value = FluidValue.Create(_values[i], _options);
                return true;
            }
        }

        if (_entries.TryGetValue(name, out var entry))
        {
            value = FluidValue.Create(entry, _options);
            return true;
        }

        value = NilValue.Instance;
        return false;
    }
}
