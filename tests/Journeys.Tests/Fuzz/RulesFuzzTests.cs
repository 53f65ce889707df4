using System.Diagnostics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Diagnostics;
using Journeys.Language.Rules;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Fuzz;

/// <summary><c>rules/*.json</c> from generated structures (workflows, rules, nested rules, params, wrong types, broken
/// JSON; shrinking to a small case): loading never throws, every problem is a diagnostic of the documented codes naming
/// the rules file, a set that loads evaluates without throwing, and each case finishes in bounded time.</summary>
public sealed class RulesFuzzTests
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);

    /// <summary>The codes journey-language.md documents for rules files.</summary>
    private static readonly HashSet<string> RuleCodes =
        [DiagnosticCodes.RulesFile, DiagnosticCodes.Duplicate, DiagnosticCodes.TooLarge, DiagnosticCodes.Syntax, DiagnosticCodes.Io];

    /// <summary>A JSON value as a tree, so the shrinker can drop members and items and hoist children.</summary>
    internal abstract record Json
    {
        public abstract void Write(Utf8JsonWriter w);
    }

    internal sealed record JRaw(string Text) : Json
    {
        public override void Write(Utf8JsonWriter w) => w.WriteRawValue(Text, skipInputValidation: true);

        public override string ToString() => Text;
    }

    internal sealed record JObject(IReadOnlyList<(string Name, Json Value)> Members) : Json
    {
        public override void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            foreach (var (name, value) in Members)
            {
                w.WritePropertyName(name);
                value.Write(w);
            }

            w.WriteEndObject();
        }

        public override string ToString() => "{" + string.Join(", ", Members.Select(m => $"{m.Name}: {m.Value}")) + "}";
    }

    internal sealed record JArray(IReadOnlyList<Json> Items) : Json
    {
        public override void Write(Utf8JsonWriter w)
        {
            w.WriteStartArray();
            foreach (var item in Items)
            {
                item.Write(w);
            }

            w.WriteEndArray();
        }

        public override string ToString() => "[" + string.Join(", ", Items) + "]";
    }

    /// <summary>A rules file: its JSON, and how many characters of the end are cut off (0: none), for broken files.</summary>
    internal sealed record RulesFile(Json Root, int Cut)
    {
        public string Text
        {
            get
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, SkipValidation = true }))
                {
                    Root.Write(w);
                }

                var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
                return text[..Math.Max(0, text.Length - Cut)];
            }
        }

        public override string ToString() => $"{Root} (cut {Cut})";
    }

    private static Gen<Json> Raw(params string[] texts) => Gen.Elements(texts).Select(t => (Json)new JRaw(t));

    private static Json Str(string s) => new JRaw(JsonSerializer.Serialize(s));

    private static readonly Gen<Json> Name = Gen.OneOf(
        Gen.Elements("W", "Tiers", "R", "HighValue", "", " ", "a.b", "W").Select(Str),
        Raw("null", "1", "true", "[]", "{}"));

    private static readonly Gen<Json> Expression = Gen.OneOf(
        Gen.Elements("customer.spend12m >= 5000", "customer.spend12m > 1 && customer.vip == true", "customer.name.Length > 3",
            "customer.tags.Contains(\"vip\")", "customer.GetType().Assembly != null", "Environment.ProcessId > 0", "x > 1", "local1 > 2",
            "customer.spend12m / 0 > 1", "\"a\" + customer.name == \"ab\"", "((((((((customer.x))))))))", "customer.x >", "", "true",
            "new (1 as x) != null", "customer.x == null || customer.x.ToString() == \"1\"", "np(customer.a.b) != null",
            string.Join(" + ", Enumerable.Repeat("customer.x", 300)) + " > 0", "customer.since < DateTime.Parse(\"2026-01-01\")").Select(Str),
        Raw("null", "42", "[\"a\"]", "{\"x\": 1}"));

    private static Gen<Json> Member(string name, Gen<Json> value) => value.Select(v => (Json)new JObject([(name, v)]));

    private static Gen<Json> Object(params (string Name, Gen<Json> Value)[] members) =>
        Gen.CollectToArray(members.Select(m => Gen.OneOf(m.Value.Select(v => ((string, Json)?)(m.Name, v)), Gen.Constant<(string, Json)?>(null))))
            .Select(ms => (Json)new JObject(ms.Where(m => m is not null).Select(m => m!.Value).ToList()));

    private static Gen<Json> Params => Object(("Name", Gen.Elements("local1", "customer", "x", "").Select(Str)), ("Expression", Expression))
        .ListOf().Select(ps => (Json)new JArray(ps.Take(3).ToList()));

    private static Gen<Json> Rule(int depth) => Object(
        ("RuleName", Name),
        ("Expression", Expression),
        ("Operator", Gen.OneOf(Gen.Elements("And", "Or", "AndAlso", "Xor").Select(Str), Raw("1"))),
        ("LocalParams", Params),
        ("Enabled", Raw("true", "false", "\"yes\"")),
        ("RuleExpressionType", Gen.Elements("LambdaExpression", "Nope").Select(Str)),
        ("SuccessEvent", Gen.Elements("ok").Select(Str)),
        ("Rules", depth <= 0 ? Raw("[]", "null") : Rule(depth - 1).ListOf().Select(rs => (Json)new JArray(rs.Take(3).ToList()))),
        ("Unknown", Raw("1", "{\"deep\": [1, 2]}")));

    private static Gen<Json> Workflow => Object(
        ("WorkflowName", Name),
        ("GlobalParams", Params),
        ("Rules", Gen.OneOf(Rule(2).ListOf().Select(rs => (Json)new JArray(rs.Take(4).ToList())), Raw("null", "{}", "\"r\""))),
        ("WorkflowsToInject", Raw("[\"Other\"]", "null")));

    private static readonly Gen<RulesFile> File =
        from root in Gen.OneOf(Workflow, Workflow.ListOf().Select(ws => (Json)new JArray(ws.Take(3).ToList())), Raw("null", "[]", "42", "\"w\""))
        from cut in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 40)))
        select new RulesFile(root, cut);

    /// <summary>Smaller versions of a tree: without one member or item, or one child shrunk, or a child in its place.</summary>
    internal static IEnumerable<Json> Shrink(Json json)
    {
        switch (json)
        {
            case JObject o:
                foreach (var (_, value) in o.Members.Where(m => m.Value is not JRaw))
                {
                    yield return value;
                }

                for (var i = 0; i < o.Members.Count; i++)
                {
                    yield return new JObject(o.Members.Where((_, k) => k != i).ToList());
                }

                for (var i = 0; i < o.Members.Count; i++)
                {
                    foreach (var smaller in Shrink(o.Members[i].Value))
                    {
                        var members = o.Members.ToList();
                        members[i] = (members[i].Name, smaller);
                        yield return new JObject(members);
                    }
                }

                break;
            case JArray a:
                foreach (var item in a.Items.Where(i => i is not JRaw))
                {
                    yield return item;
                }

                for (var i = 0; i < a.Items.Count; i++)
                {
                    yield return new JArray(a.Items.Where((_, k) => k != i).ToList());
                }

                for (var i = 0; i < a.Items.Count; i++)
                {
                    foreach (var smaller in Shrink(a.Items[i]))
                    {
                        var items = a.Items.ToList();
                        items[i] = smaller;
                        yield return new JArray(items);
                    }
                }

                break;
        }
    }

    internal static IEnumerable<RulesFile> Shrink(RulesFile file) =>
        (file.Cut > 0 ? [file with { Cut = 0 }] : Array.Empty<RulesFile>()).Concat(Shrink(file.Root).Select(root => file with { Root = root }));

    internal static Arbitrary<RulesFile> Files => Arb.From(File, Shrink);

    internal static int Size(Json json) => json switch
    {
        JObject o => 1 + o.Members.Sum(m => Size(m.Value)),
        JArray a => 1 + a.Items.Sum(Size),
        _ => 1,
    };

    [Property(MaxTest = 200)]
    public Property RulesFile_LoadsOrIsDiagnosedAtTheFile_NeverThrowsAndEvaluates() =>
        Prop.ForAll(Files, file =>
        {
            using var folder = new TempFolder();
            folder.Write("rules/w.json", file.Text);
            var clock = Stopwatch.StartNew();
            var diagnostics = new List<Diagnostic>();
            var set = RuleSet.Load(Path.Combine(folder.Path, "rules"), p => p, diagnostics);

            Assert.All(diagnostics, d =>
            {
                Assert.Contains(d.Code, RuleCodes);
                Assert.Equal("w.json", Path.GetFileName(d.Location.File));
                Assert.DoesNotContain('\n', d.ToString());
            });
            if (!diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                var customer = new CustomerState("c1", journeyCount: 0);
                customer.Traits["spend12m"] = Value.Number(6000);
                customer.Traits["name"] = Value.String("ab");
                customer.Traits["tags"] = Value.From(new[] { "vip" });
                for (var i = 0; i < set.Count; i++)
                {
                    _ = set.Evaluate(i, customer, out _); // a rule that fails to evaluate does not hold, with a reason: never an exception
                }
            }

            Assert.True(clock.Elapsed < PerCase, $"took {clock.Elapsed}");
            return true;
        });

    [Property(MaxTest = 100)]
    public Property Shrink_EveryCandidate_IsSmallerThanTheFile() =>
        Prop.ForAll(Files, file =>
            Shrink(file).Take(50).All(smaller => Size(smaller.Root) < Size(file.Root) || (Size(smaller.Root) == Size(file.Root) && smaller.Cut < file.Cut)));

    [Fact]
    public void Shrink_AFailingProperty_EndsAtTheSmallestFileThatStillFails()
    {
        // A property that fails for any file with a rule named "HighValue" shrinks to that one member.
        var failure = Assert.ThrowsAny<Exception>(() => Check.QuickThrowOnFailure(
            Prop.ForAll(Files, file => !file.Text.Contains("\"HighValue\"", StringComparison.Ordinal))));

        var message = failure.Message;
        var at = Math.Max(0, message.LastIndexOf("Shrunk", StringComparison.Ordinal) is var s and >= 0 ? s : message.LastIndexOf("Original", StringComparison.Ordinal));
        var shrunk = message[at..];
        Assert.Matches(@"\{(Workflow|Rule)Name: ""HighValue""\} \(cut 0\)", shrunk); // one member left, whichever held the name
        Assert.True(shrunk.Length < 200, shrunk);
    }
}
