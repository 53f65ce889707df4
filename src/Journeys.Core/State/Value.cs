using System.Globalization;
using System.Runtime.CompilerServices;

namespace Journeys.State;

/// <summary>A value seen by expressions: null, number, string, boolean, timestamp (UTC ticks) or list (a JSON array in a
/// trait or an event property; see journey-language.md "Lists"). A struct, so evaluating an expression allocates nothing. The operators here implement the language's null rules (see journey-language.md).</summary>
internal readonly struct Value : IEquatable<Value>
{
    // 16 bytes, so a trait (a name and a value) takes 24: the kind is not a field of its own. A string value holds the
    // string in _ref, a list its Value[]; a number, boolean or timestamp holds its kind's tag there, and null holds nothing.
    private readonly long _bits;    // number: the double's bits; bool: 0/1; timestamp: UTC ticks
    private readonly object? _ref;  // the string, the list's items, or the tag of the value's kind; null for null

    private sealed class Tag(ValueKind kind)
    {
        public readonly ValueKind Kind = kind;
    }

    private static readonly Tag NumberTag = new(ValueKind.Number);
    private static readonly Tag BoolTag = new(ValueKind.Bool);
    private static readonly Tag TimestampTag = new(ValueKind.Timestamp);

    private Value(Tag tag, long bits)
    {
        _ref = tag;
        _bits = bits;
    }

    private Value(string s)
    {
        _ref = s;
        _bits = 0;
    }

    private Value(Value[] items)
    {
        _ref = items;
        _bits = 0;
    }

    public static readonly Value Null = default;
    public static readonly Value True = new(BoolTag, 1);
    public static readonly Value False = new(BoolTag, 0);
    public static readonly Value PositiveInfinity = Number(double.PositiveInfinity);

    public ValueKind Kind
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _ref switch
        {
            null => ValueKind.Null,
            Tag tag => tag.Kind,
            string => ValueKind.String,
            _ => ValueKind.List,
        };
    }

    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>Only boolean true is true; null, numbers and strings are not.</summary>
    public bool IsTrue => Kind == ValueKind.Bool && _bits != 0;

    public double AsNumber => BitConverter.Int64BitsToDouble(_bits);

    public string AsString => _ref as string ?? "";

    /// <summary>A list's items (empty for any other kind).</summary>
    public ReadOnlySpan<Value> AsList => _ref as Value[] ?? [];

    public bool AsBool => _bits != 0;

    public long AsTicks => _bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Number(double d) => new(NumberTag, BitConverter.DoubleToInt64Bits(d));

    public static Value String(string? s) => s is null ? Null : new(s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Bool(bool b) => b ? True : False;

    public static Value Timestamp(DateTimeOffset t) => new(TimestampTag, t.UtcTicks);

    public static Value TimestampTicks(long utcTicks) => new(TimestampTag, utcTicks);

    /// <summary>A list of the items (the array is kept: the caller hands it over).</summary>
    public static Value List(Value[] items) => new(items);

    /// <summary>Converts a CLR value from an event or a trait (string, number, bool, DateTimeOffset, DateTime, null).</summary>
    public static Value From(object? o) => o switch
    {
        null => Null,
        Value v => v,
        string s => String(s),
        bool b => Bool(b),
        double d => Number(d),
        float f => Number(f),
        int i => Number(i),
        long l => Number(l),
        decimal m => Number((double)m),
        short s16 => Number(s16),
        byte b8 => Number(b8),
        uint u32 => Number(u32),
        ulong u64 => Number(u64),
        DateTimeOffset t => Timestamp(t),
        DateTime dt => Timestamp(dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt)),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } json => List(json.EnumerateArray().Select(e => FromJson(e)).ToArray()),
        System.Collections.IEnumerable items and not IDictionary<string, object?> and not IReadOnlyDictionary<string, object?> =>
            List(items.Cast<object?>().Select(From).ToArray()),
        _ => String(Convert.ToString(o, CultureInfo.InvariantCulture)),
    };

    /// <summary>A JSON value as the engine's value: a string, number, bool, null or array (of such); an object is its JSON text.</summary>
    internal static Value FromJson(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => String(e.GetString()),
        System.Text.Json.JsonValueKind.Number => Number(e.GetDouble()),
        System.Text.Json.JsonValueKind.True => True,
        System.Text.Json.JsonValueKind.False => False,
        System.Text.Json.JsonValueKind.Null => Null,
        System.Text.Json.JsonValueKind.Array => From(e),
        _ => String(e.GetRawText()),
    };

    /// <summary>The value as a CLR object (for templates, rules and output).</summary>
    public object? ToObject() => Kind switch
    {
        ValueKind.Number => AsNumber,
        ValueKind.String => AsString,
        ValueKind.Bool => AsBool,
        ValueKind.Timestamp => new DateTimeOffset(AsTicks, TimeSpan.Zero),
        ValueKind.List => ListObject(),
        _ => null,
    };

    private List<object?> ListObject()
    {
        var items = new List<object?>(AsList.Length);
        foreach (var item in AsList)
        {
            items.Add(item.ToObject());
        }

        return items;
    }

    /// <summary>A timestamp, or an ISO 8601 string that parses as one; else null.</summary>
    public long? TryGetTicks()
    {
        if (Kind == ValueKind.Timestamp)
        {
            return AsTicks;
        }

        if (Kind == ValueKind.String && TryParseTimestamp(AsString, out var t))
        {
            return t.UtcTicks;
        }

        return null;
    }

    /// <summary>True when both strings are ISO 8601 date-times with an explicit offset (<c>2026-01-05T10:00:00+08:00</c>,
    /// <c>2026-01-05T02:00:00Z</c>), with their instants in UTC ticks: two such strings compare as the instants they
    /// name, not as text (traits arrive from JSON as strings). Anything else — a date alone, a time without an offset —
    /// is text, compared as text.</summary>
    private static bool BothInstants(string a, string b, out long x, out long y)
    {
        (x, y) = (0, 0);
        if (!IsoInstant.TryParse(a, out var first) || !IsoInstant.TryParse(b, out var second))
        {
            return false;
        }

        (x, y) = (first.UtcTicks, second.UtcTicks);
        return true;
    }

    /// <summary>An ISO 8601 date or date-time (one without an offset is UTC); nothing else. <c>"10:30"</c> or
    /// <c>"Dec 31"</c> is text, not a time today or this year: a timestamp never depends on the day it is read.</summary>
    public static bool TryParseTimestamp(string s, out DateTimeOffset value)
    {
        if (IsoInstant.TryParse(s, out value))
        {
            return true;
        }

        value = default;
        return IsoInstant.LacksOffset(s) &&
               DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    // ---- operators used by compiled expressions -------------------------------------------------------------------

    public static Value Equal(Value a, Value b) => Bool(LooseEquals(a, b));

    /// <summary><c>!=</c>: true when exactly one side is null, or both are values that differ.</summary>
    public static Value NotEqual(Value a, Value b) => Bool(!LooseEquals(a, b));

    private static bool LooseEquals(Value a, Value b)
    {
        if (a.Kind == ValueKind.Null || b.Kind == ValueKind.Null)
        {
            return a.Kind == b.Kind;
        }

        if (a.Kind == b.Kind)
        {
            return a.Kind switch
            {
                ValueKind.String => string.Equals(a.AsString, b.AsString, StringComparison.Ordinal) ||
                    (BothInstants(a.AsString, b.AsString, out var x, out var y) && x == y),
                ValueKind.Number => a.AsNumber == b.AsNumber,
                ValueKind.List => ListEquals(a.AsList, b.AsList),
                _ => a._bits == b._bits,
            };
        }

        // A timestamp compared with an ISO string compares as timestamps.
        var (ta, tb) = (a.TryGetTicks(), b.TryGetTicks());
        return ta is not null && tb is not null && (a.Kind == ValueKind.Timestamp || b.Kind == ValueKind.Timestamp) && ta == tb;
    }

    /// <summary>Two lists are equal when they hold equal items in the same order (items compare as <c>==</c> does).</summary>
    private static bool ListEquals(ReadOnlySpan<Value> a, ReadOnlySpan<Value> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!LooseEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>contains(x, v)</c>: a list holds an item equal to <paramref name="v"/> (as <c>==</c> compares), or the
    /// text <paramref name="x"/> contains the text <paramref name="v"/> (ordinal, case-sensitive). Anything else, and a
    /// null on either side, is false: a customer without the trait does not hold the value.</summary>
    public static Value Contains(Value x, Value v)
    {
        if (v.Kind == ValueKind.Null)
        {
            return False;
        }

        if (x.Kind == ValueKind.List)
        {
            foreach (var item in x.AsList)
            {
                if (LooseEquals(item, v))
                {
                    return True;
                }
            }

            return False;
        }

        return Bool(x.Kind == ValueKind.String && v.Kind == ValueKind.String && x.AsString.Contains(v.AsString, StringComparison.Ordinal));
    }

    /// <summary>Orders two values: null when either side is null or the kinds do not order, so every ordering comparison is false.</summary>
    private static int? Compare(Value a, Value b)
    {
        if (a.Kind == ValueKind.Null || b.Kind == ValueKind.Null)
        {
            return null;
        }

        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number)
        {
            var (x, y) = (a.AsNumber, b.AsNumber);
            return double.IsNaN(x) || double.IsNaN(y) ? null : x.CompareTo(y);
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return BothInstants(a.AsString, b.AsString, out var x, out var y) ? x.CompareTo(y) : string.CompareOrdinal(a.AsString, b.AsString);
        }

        if (a.Kind == ValueKind.Timestamp || b.Kind == ValueKind.Timestamp)
        {
            var (ta, tb) = (a.TryGetTicks(), b.TryGetTicks());
            return ta is not null && tb is not null ? ta.Value.CompareTo(tb.Value) : null;
        }

        return null;
    }

    public static Value Less(Value a, Value b) => Bool(Compare(a, b) is < 0);

    public static Value LessOrEqual(Value a, Value b) => Bool(Compare(a, b) is <= 0);

    public static Value Greater(Value a, Value b) => Bool(Compare(a, b) is > 0);

    public static Value GreaterOrEqual(Value a, Value b) => Bool(Compare(a, b) is >= 0);

    public static Value Add(Value a, Value b)
    {
        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number)
        {
            return Number(a.AsNumber + b.AsNumber);
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return String(a.AsString + b.AsString);
        }

        return Null;
    }

    public static Value Subtract(Value a, Value b) => Arithmetic(a, b, static (x, y) => x - y);

    public static Value Multiply(Value a, Value b) => Arithmetic(a, b, static (x, y) => x * y);

    public static Value Divide(Value a, Value b) => Arithmetic(a, b, static (x, y) => x / y);

    public static Value Modulo(Value a, Value b) => Arithmetic(a, b, static (x, y) => x % y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Value Arithmetic(Value a, Value b, Func<double, double, double> op) =>
        a.Kind == ValueKind.Number && b.Kind == ValueKind.Number ? Number(op(a.AsNumber, b.AsNumber)) : Null;

    public static Value Negate(Value a) => a.Kind == ValueKind.Number ? Number(-a.AsNumber) : Null;

    public static Value Not(Value a) => a.Kind == ValueKind.Bool ? Bool(!a.AsBool) : Null;

    public override string ToString() => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Number => AsNumber.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.String => AsString,
        ValueKind.Bool => AsBool ? "true" : "false",
        ValueKind.List => ListText(),
        _ => new DateTimeOffset(AsTicks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>A list prints as a JSON array of its items (strings quoted, timestamps as ISO 8601 strings); text is kept
    /// as written (<c>["会员","vip"]</c>, not <c>\u4F1A...</c>): only quotes, backslashes and control characters are
    /// escaped, as JSON requires. Where a list reaches HTML, the template's HTML encoding applies as to any text.</summary>
    private string ListText()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, ListTextOptions))
        {
            WriteJson(w, this);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly System.Text.Json.JsonWriterOptions ListTextOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.List:
                w.WriteStartArray();
                foreach (var item in v.AsList)
                {
                    WriteJson(w, item);
                }

                w.WriteEndArray();
                break;
            case ValueKind.Number when double.IsFinite(v.AsNumber):
                w.WriteNumberValue(v.AsNumber);
                break;
            case ValueKind.Bool:
                w.WriteBooleanValue(v.AsBool);
                break;
            case ValueKind.Null:
                w.WriteNullValue();
                break;
            default:
                w.WriteStringValue(v.ToString());
                break;
        }
    }

    public bool Equals(Value other) => Kind == other.Kind && LooseEquals(this, other);

    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _ref as string);
}
