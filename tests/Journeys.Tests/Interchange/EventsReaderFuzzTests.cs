using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Interchange;

namespace Journeys.Tests.Interchange;

/// <summary>Events files generated as structures (lines of JSON values, with the pieces that have broken readers before:
/// lone surrogate escapes, invalid UTF-8, control characters, deep nesting, huge numbers, over-long lines), so a failure
/// shrinks to a few small lines. Whatever the file, the reader throws nothing, reports each bad line once as
/// <c>file:line:column: message</c>, and stays within a time and memory budget proportional to the file.</summary>
public sealed partial class EventsReaderFuzzTests
{
    /// <summary>A piece of a line. <see cref="Raw"/> is written as it is (bytes that may not be UTF-8).</summary>
    public abstract record Node;

    public sealed record Str(string Text) : Node;

    public sealed record Num(string Text) : Node;

    public sealed record Lit(string Text) : Node;

    public sealed record Arr(Node[] Items) : Node;

    public sealed record Obj((string Key, Node Value)[] Fields) : Node;

    public sealed record Raw(byte[] Bytes) : Node;

    /// <summary>A line padded past the line limit (rare: it costs a megabyte).</summary>
    public sealed record Long(Node Inner) : Node;

    private static readonly string[] Keys = ["type", "userId", "event", "timestamp", "properties", "traits", "timeZone", "k", "\\ud800", "\\u0000", "é"];

    private static readonly string[] Texts =
    [
        "track", "identify", "c1", "c2", "signed_up", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00", "Asia/Shanghai", "", " ",
        "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\ud83d", "a\\u0007b", "\\n", "\\\\", "é", "\u2028", "\\u0000", "x\\uZZZZ", "\\",
    ];

    private static readonly string[] Numbers = ["0", "-1", "1.5", "1e400", "-1e400", "129.0", "01", "1e", "9999999999999999999999"];

    private static readonly byte[][] Bytes = [[0xFF], [0xFE], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x0D], [0xEF, 0xBB, 0xBF]];

    private static Gen<Node> NodeGen(int size) =>
        size <= 0
            ? Gen.OneOf(
                Gen.Elements(Texts).Select(t => (Node)new Str(t)),
                Gen.Elements(Numbers).Select(n => (Node)new Num(n)),
                Gen.Elements("true", "false", "null", "nul", "{", "]").Select(l => (Node)new Lit(l)),
                Gen.Elements(Bytes).Select(b => (Node)new Raw(b)))
            : Gen.Frequency(
                (4, NodeGen(0)),
                (2, NodeGen(size / 2).ArrayOf().Select(items => (Node)new Arr([.. items.Take(4)]))),
                (3, Gen.Zip(Gen.Elements(Keys), NodeGen(size / 2)).ArrayOf().Select(fields => (Node)new Obj([.. fields.Take(6)]))),
                (1, NodeGen(size - 1).Select(inner => (Node)new Arr([inner]))));

    /// <summary>Mostly lines that look like events (the reader's checks past the JSON syntax are reached), some deep or
    /// broken, a few too long.</summary>
    private static readonly Gen<Node> LineGen = Gen.Frequency(
        (6, from type in Gen.Elements(Texts)
            from user in Gen.Elements(Texts)
            from name in Gen.Elements(Texts)
            from properties in NodeGen(4)
            select (Node)new Obj(
            [("type", new Str(type is "track" or "identify" ? type : "track")), ("userId", new Str(user)), ("event", new Str(name)),
             ("timestamp", new Str("2026-01-05T10:00:00Z")), ("properties", properties)])),
        (3, NodeGen(6)),
        (1, Gen.Choose(15, 40).Select(depth => (Node)Enumerable.Range(0, depth).Aggregate((Node)new Num("1"), (n, _) => new Arr([n])))),
        (1, Gen.Constant((Node)new Long(new Str("x")))));

    private static readonly Arbitrary<Node[]> Files = Arb.From(LineGen.ArrayOf().Select(lines => lines.Take(12).ToArray()), Shrink);

    /// <summary>Drops a line, or replaces a line by one of its parts.</summary>
    private static IEnumerable<Node[]> Shrink(Node[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            yield return [.. lines[..i], .. lines[(i + 1)..]];
        }

        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var part in Parts(lines[i]))
            {
                yield return [.. lines[..i], part, .. lines[(i + 1)..]];
            }
        }
    }

    private static IEnumerable<Node> Parts(Node node) => node switch
    {
        Arr a => a.Items,
        Obj o => o.Fields.Select(f => f.Value).Concat(o.Fields.Select((_, i) => (Node)new Obj([.. o.Fields.Where((_, j) => j != i)]))),
        Long l => [l.Inner],
        _ => [],
    };

    private static void Write(Node node, MemoryStream to)
    {
        switch (node)
        {
            case Str s:
                to.WriteByte((byte)'"');
                to.Write(Encoding.UTF8.GetBytes(s.Text));
                to.WriteByte((byte)'"');
                break;
            case Num or Lit:
                to.Write(Encoding.UTF8.GetBytes(node is Num n ? n.Text : ((Lit)node).Text));
                break;
            case Raw r:
                to.Write(r.Bytes);
                break;
            case Arr a:
                to.WriteByte((byte)'[');
                for (var i = 0; i < a.Items.Length; i++)
                {
                    if (i > 0)
                    {
                        to.WriteByte((byte)',');
                    }

                    Write(a.Items[i], to);
                }

                to.WriteByte((byte)']');
                break;
            case Obj o:
                to.WriteByte((byte)'{');
                for (var i = 0; i < o.Fields.Length; i++)
                {
                    if (i > 0)
                    {
                        to.WriteByte((byte)',');
                    }

                    Write(new Str(o.Fields[i].Key), to);
                    to.WriteByte((byte)':');
                    Write(o.Fields[i].Value, to);
                }

                to.WriteByte((byte)'}');
                break;
            case Long l:
                Write(l.Inner, to);
                to.Write(Encoding.ASCII.GetBytes(new string(' ', SegmentReader.MaxLineLength)));
                break;
        }
    }

    private static byte[] Serialize(Node[] lines)
    {
        var stream = new MemoryStream();
        foreach (var line in lines)
        {
            Write(line, stream);
            stream.WriteByte((byte)'\n');
        }

        return stream.ToArray();
    }

    [GeneratedRegex(@"^events\.jsonl:(\d+):(\d+): \S")]
    private static partial Regex ErrorForm();

    [Property(MaxTest = 300)]
    public Property AnyFile_IsReadWithoutAnExceptionAndEachBadLineReportedOnceWithItsPlace() =>
        Prop.ForAll(Files, lines =>
        {
            var bytes = Serialize(lines);
            var watch = Stopwatch.StartNew();
            var before = GC.GetAllocatedBytesForCurrentThread();

            var (inputs, errors) = SegmentReader.Read(new MemoryStream(bytes), "events.jsonl");

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var places = errors.Select(e => ErrorForm().Match(e)).ToList();
            Assert.All(places, m => Assert.True(m.Success, "not file:line:column: message"));
            var errorLines = places.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.All(places, m => Assert.True(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= 1, "columns start at 1"));
            var inputLines = inputs.Select(i => i.Line).ToList();
            var all = errorLines.Concat(inputLines).ToList();
            Assert.Equal(all.Count, all.Distinct().Count()); // one report per line at most
            Assert.All(all, n => Assert.InRange(n, 1, lines.Length));
            Assert.Equal(inputLines.Order(), inputLines);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.True(allocated < (16L * bytes.Length) + (8L * 1024 * 1024), $"allocated {allocated:N0} bytes for {bytes.Length:N0}");
        });

    [Property(MaxTest = 300)]
    public Property AnyLine_ThatReadsAsAnEvent_HasValidUnicodeIdsAndNames() =>
        Prop.ForAll(Files, lines =>
        {
            var (inputs, _) = SegmentReader.Read(new MemoryStream(Serialize(lines)), "events.jsonl");

            // Every text the engine got round-trips through strict UTF-8: no replacement character stood in for a bad byte.
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            foreach (var input in inputs)
            {
                _ = strict.GetBytes(input.CustomerId);
                _ = strict.GetBytes(input.Event?.Type ?? "");
                Assert.DoesNotContain('\uFFFD', input.CustomerId);
            }
        });
}
