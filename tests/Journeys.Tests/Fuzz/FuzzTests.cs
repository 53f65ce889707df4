using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Diagnostics;
using Journeys.Language.Loading;
using Journeys.Language.Templates;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Fuzz;

/// <summary>Generated structures (so a failure shrinks to a small case): the YAML loader, expressions and templates never
/// throw — every problem is a diagnostic, every render over budget a <see cref="TemplateBudgetException"/> or Fluid's own
/// render error — and each case finishes in bounded time.</summary>
public sealed class FuzzTests
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(1);

    private static readonly Gen<string> Name = Gen.Elements("customer.x", "customer.name", "customer.id", "customer.tier", "event.type",
        "event.amount", "customer.since", "nope.x", "x", "[customer.x]");

    private static readonly Gen<string> Literal = Gen.Elements("1", "0", "-1", "2.5", "1e308", "1e400", "'a'", "''", "'x&&y'", "\"dq\"",
        "#2026-01-01#", "#01/02/2026#", "#2026-01-01T10:00:00+08:00#", "true", "false", "null", "'10:30'", "'Dec 31'");

    private static readonly Gen<string> Operator = Gen.Elements("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "and", "or", "? 1 :");

    private static readonly Gen<string> Function = Gen.Elements("count('a', 7)", "daysSince(customer.since)", "hoursSince(null)",
        "lastSeen('a')", "abs(customer.x)", "min(1, 2)", "rule('W.R')", "unknown(1)");

    // Built lazily (each choice makes its sub-generator when drawn), so a deep generator costs what it draws.
    private static Gen<string> Expression(int size) => size <= 0
        ? Gen.OneOf(Name, Literal, Function)
        : Gen.Choose(0, 4).SelectMany(choice => choice switch
        {
            0 => Expression(0),
            1 => from l in Expression(size / 2) from op in Operator from r in Expression(size / 2) select $"{l} {op} {r}",
            2 => Expression(size - 1).Select(e => $"({e})"),
            3 => Expression(size - 1).Select(e => $"!{e}"),
            _ => Expression(size - 1).Select(e => $"{e} ++"),
        });

    private static void Quickly(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        Assert.True(clock.Elapsed < PerCase, $"took {clock.Elapsed}");
    }

    [Property(MaxTest = 300)]
    public Property Expressions_CompileToADiagnosticOrAValue_NeverThrow() =>
        Prop.ForAll(Arb.From(Gen.Sized(s => Expression(Math.Min(s, 12)))), text =>
        {
            Quickly(() =>
            {
                var harness = new ExpressionHarness();
                var diagnostics = new List<Diagnostic>();
                var compiled = new Journeys.Language.Expressions.ExpressionCompiler(harness.Activity, _ => null, () => [])
                    .Compile(text, o => new SourceLocation("f", 1, o + 1), Journeys.Language.Expressions.ExpressionScope.CustomerAndEvent, expectBool: false, diagnostics);
                Assert.True(compiled is not null || diagnostics.Count > 0);
                if (compiled is not null)
                {
                    var customer = harness.Customer(("x", 3.0), ("name", new string('n', 1000)), ("since", "2026-01-01"));
                    _ = compiled.Evaluate(ExpressionHarness.Context(customer));
                }
            });
            return true;
        });

    private static readonly Gen<string> TemplatePiece = Gen.Elements(
        "Hi {{ customer.name }}", "{{ customer.x | times: 2 }}", "{% for i in (1..customer.x) %}*{% endfor %}",
        "{% for i in (1..customer.big) %}*{% endfor %}", "{% assign s = customer.name | append: customer.name %}{{ s }}",
        "{% capture c %}{{ customer.name }}{{ customer.name }}{% endcapture %}{{ c | size }}", "{{ customer.name | split: '' | join: customer.name }}",
        "{{ customer.name | replace: 'n', customer.name }}", "{% if customer.x > 1 %}yes{% else %}no{% endif %}", "{{ 'now' | date: '%Y' }}",
        "{{ customer.missing | default: 'there' }}", "{% include 'other' %}", "{{ 10 | divided_by: customer.zero }}", "{% raw %}{{{% endraw %}",
        "{% for i in (1..100) %}{% for j in (1..100) %}{% for k in (1..100) %}{% endfor %}{% endfor %}{% endfor %}", "<b>{{ customer.name }}</b>");

    /// <summary>A template body as its pieces, so a failure shrinks by dropping pieces, down to the one that fails.</summary>
    internal static Arbitrary<string[]> TemplateBodies => Arb.From(TemplatePiece.ListOf().Select(p => p.Take(6).ToArray()), WithoutOne);

    internal static IEnumerable<T[]> WithoutOne<T>(T[] items) => Enumerable.Range(0, items.Length).Select(i => items.Where((_, k) => k != i).ToArray());

    [Property(MaxTest = 200)]
    public Property Templates_RenderOrFailWithAReason_NeverCrashOrRunOn() =>
        Prop.ForAll(TemplateBodies, Arb.From(Gen.Elements("text", "html")), (pieces, format) =>
        {
            var body = string.Concat(pieces);
            using var folder = new TempFolder();
            folder.Write("templates/t.liquid", $"---\nformat: {format}\n---\n{body}");
            var diagnostics = new List<Diagnostic>();
            var set = TemplateSet.Load(Path.Combine(folder.Path, "templates"), p => p, diagnostics);
            var customer = new Dictionary<string, object?> { ["name"] = new string('n', 2000), ["x"] = 3, ["big"] = 2_000_000_000, ["zero"] = 0 };
            var none = new Dictionary<string, object?>();
            Quickly(() =>
            {
                try
                {
                    _ = set.Render("t", "email", customer, none, none, new TemplateLimits(10_000, 100_000), DateTimeOffset.UnixEpoch);
                }
                catch (Exception ex) when (ex is TemplateBudgetException or InvalidOperationException or ArgumentException or DivideByZeroException
                                               or FormatException or IOException || ex.GetType().Namespace?.StartsWith("Fluid", StringComparison.Ordinal) == true)
                {
                    // A render failure: the pace stage records it as the send's failed decision, with this message.
                }
            });
            return true;
        });

    private static readonly Gen<string> YamlValue = Gen.OneOf(
        Gen.Elements("go", "a", "b", "end", "7d", "-1d", "0d", "99999999999d", "1e400", "&& true", "*x", "&x y", "'quoted'", "\"\\ud800\"",
            "{ on: go }", "[a, b]", "{ weight: 1e308, goto: a }", "null", "~", "[]", "{}", "|\n  block"),
        Expression(3).Select(e => "\"" + e.Replace("\"", "'", StringComparison.Ordinal) + "\""));

    private static readonly Gen<string> YamlKey = Gen.Elements("journey", "entry", "on", "if", "start", "steps", "then", "goto", "after",
        "split", "weight", "send", "channel", "template", "exit", "goal", "within", "reentry", "version", "a", "b", "when", "inactive", "date");

    /// <summary>A YAML value as a tree (a scalar as written, a block mapping, a block sequence), rendered at an indent, so a
    /// failure shrinks by dropping entries and items or hoisting a child into its parent's place.</summary>
    internal abstract record YamlNode
    {
        public abstract string Render(string indent);

        public override string ToString() => Render("");
    }

    internal sealed record YamlScalar(string Text) : YamlNode
    {
        public override string Render(string indent) => Text;

        public override string ToString() => Text;
    }

    internal sealed record YamlMap(IReadOnlyList<(string Key, YamlNode Value)> Entries) : YamlNode
    {
        public override string Render(string indent) =>
            "\n" + string.Concat(Entries.Select(e => $"{indent}  {e.Key}: {e.Value.Render(indent + "  ")}\n")).TrimEnd('\n');

        public override string ToString() => Render("");
    }

    internal sealed record YamlSeq(IReadOnlyList<YamlNode> Items) : YamlNode
    {
        public override string Render(string indent) =>
            "\n" + string.Concat(Items.Select(i => $"{indent}  - {i.Render(indent + "  ")}\n")).TrimEnd('\n');

        public override string ToString() => Render("");
    }

    private static Gen<YamlNode> Yaml(int depth) => depth <= 0
        ? YamlValue.Select(v => (YamlNode)new YamlScalar(v))
        : Gen.Choose(0, 2).SelectMany(choice => choice switch
        {
            0 => Yaml(0),
            1 => (from key in YamlKey from value in Yaml(depth - 1) select (key, value)).ListOf()
                .Select(entries => (YamlNode)new YamlMap(entries.Take(5).ToList())),
            _ => Yaml(depth - 1).ListOf().Select(items => (YamlNode)new YamlSeq(items.Take(4).ToList())),
        });

    /// <summary>Smaller trees: a child in its parent's place, the parent without one entry or item, or one child shrunk.</summary>
    internal static IEnumerable<YamlNode> Shrink(YamlNode node)
    {
        var children = node switch
        {
            YamlMap m => m.Entries.Select(e => e.Value).ToList(),
            YamlSeq q => q.Items.ToList(),
            _ => [],
        };
        foreach (var child in children)
        {
            yield return child;
        }

        for (var i = 0; i < children.Count; i++)
        {
            yield return node is YamlMap map ? new YamlMap(map.Entries.Where((_, k) => k != i).ToList()) : new YamlSeq(children.Where((_, k) => k != i).ToList());
        }

        for (var i = 0; i < children.Count; i++)
        {
            foreach (var smaller in Shrink(children[i]))
            {
                if (node is YamlMap map)
                {
                    var entries = map.Entries.ToList();
                    entries[i] = (entries[i].Key, smaller);
                    yield return new YamlMap(entries);
                }
                else
                {
                    var items = children.ToList();
                    items[i] = smaller;
                    yield return new YamlSeq(items);
                }
            }
        }
    }

    internal static int Size(YamlNode node) => node switch
    {
        YamlMap m => 1 + m.Entries.Sum(e => Size(e.Value)),
        YamlSeq q => 1 + q.Items.Sum(Size),
        _ => 1,
    };

    /// <summary>A journey file: its entry and its steps as trees.</summary>
    internal sealed record YamlJourney(YamlNode Entry, YamlNode Steps)
    {
        public string Text => $"journey: fuzz\nentry: {Entry.Render("")}\nstart: a\nsteps: {Steps.Render("")}\n";

        public override string ToString() => Text;
    }

    internal static Arbitrary<YamlJourney> JourneyFiles => Arb.From(
        from steps in Yaml(3) from entry in Yaml(2) select new YamlJourney(entry, steps),
        j => Shrink(j.Steps).Select(s => j with { Steps = s }).Concat(Shrink(j.Entry).Select(e => j with { Entry = e })));

    [Property(MaxTest = 100)]
    public Property Shrink_EveryYamlCandidate_IsSmaller() =>
        Prop.ForAll(JourneyFiles, j => JourneyFiles.Shrinker(j).Take(50).All(s => Size(s.Entry) + Size(s.Steps) < Size(j.Entry) + Size(j.Steps)));

    [Fact]
    public void Shrink_AFailingYamlProperty_EndsAtASmallJourney()
    {
        // Fails for any journey whose text holds "goto": shrinks to one goto entry, whatever the first failing case held.
        var failure = Assert.ThrowsAny<Exception>(() => Check.QuickThrowOnFailure(Prop.ForAll(JourneyFiles, j => !j.Text.Contains("goto:", StringComparison.Ordinal))));

        var message = failure.Message;
        var at = Math.Max(0, message.LastIndexOf("Shrunk", StringComparison.Ordinal) is var s and >= 0 ? s : message.LastIndexOf("Original", StringComparison.Ordinal));
        Assert.True(message[at..].Split('\n').Count(l => l.Contains(':', StringComparison.Ordinal)) <= 8, message[at..]);
        Assert.Contains("goto:", message[at..], StringComparison.Ordinal);
    }

    [Fact]
    public void Shrink_AFailingTemplateProperty_EndsAtTheOnePieceThatFails()
    {
        var failure = Assert.ThrowsAny<Exception>(() => Check.QuickThrowOnFailure(
            Prop.ForAll(TemplateBodies, pieces => !string.Concat(pieces).Contains("divided_by", StringComparison.Ordinal))));

        var message = failure.Message;
        var at = Math.Max(0, message.LastIndexOf("Shrunk", StringComparison.Ordinal) is var s and >= 0 ? s : message.LastIndexOf("Original", StringComparison.Ordinal));
        Assert.Contains("divided_by", message[at..], StringComparison.Ordinal);
        Assert.Equal(2, message[at..].Count(c => c == '"')); // one piece left: the one that fails
    }

    [Property(MaxTest = 300)]
    public Property Yaml_LoadsOrIsDiagnosed_NeverThrows() =>
        Prop.ForAll(JourneyFiles, journey =>
        {
            var yaml = journey.Text;
            Quickly(() =>
            {
                var catalog = JourneyLoader.LoadYaml(("f.yaml", yaml));
                Assert.True(catalog.Journeys.Count > 0 || catalog.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), yaml);
            });
            return true;
        });
}
