using System.Text;
using Journeys.Decisions;
using Journeys.Language.Loading;

namespace Journeys.Tests.Runtime.Differential;

/// <summary>The differential property for cases: for random journeys given <c>case: event.t</c> and <c>maxCases: 2</c>,
/// and random events carrying one of three keys or none, the compiled runtime and <see cref="CaseReference"/> (one
/// Stateless reference per key) agree after every input on each key's decisions and on the open runs. Seeded.</summary>
public sealed class CaseDifferentialTests
{
    private static readonly DateTimeOffset Start = Sim.T;
    private static readonly string[] Keys = ["k1", "k2", "k3"];

    [Theory]
    [InlineData(11)]
    [InlineData(2027)]
    [InlineData(424243)]
    public void RuntimeAndCaseReference_RandomJourneysAndKeyedInputs_AgreeAfterEveryInput(int seed)
    {
        var random = new Random(seed);
        for (var j = 0; j < 25; j++)
        {
            var yaml = WithCases(DifferentialTests.RandomJourney(random, j));
            var catalog = JourneyLoader.LoadYaml(("random.yaml", yaml));
            Assert.False(catalog.HasErrors, yaml + "\n" + string.Join("\n", catalog.Diagnostics));
            var alphabet = DifferentialTests.Alphabet(catalog);
            for (var i = 0; i < 12; i++)
            {
                var inputs = RandomInputs(random, alphabet);
                if (FirstDivergence(catalog, $"c{j}-{i}", inputs) is { } divergence)
                {
                    Assert.Fail(Report(catalog, $"c{j}-{i}", inputs, divergence, yaml));
                }
            }
        }
    }

    [Fact]
    public void RuntimeAndCaseReference_TwoKeysAndAKeylessExit_AgreeOnAKnownTimeline()
    {
        var catalog = Sim.Load("""
            journey: fixed
            case: event.t
            maxCases: 1
            entry: { on: a }
            exit: [ { on: x } ]
            start: s0
            steps:
              s0:
                then:
                  - { after: 1d, goto: end }
            """);
        var inputs = new List<CaseInput> { new("a", "k1", 0), new("a", "k2", 0), new("x", null, 1), new("a", null, 0), new(null, null, 30) };

        Assert.Null(FirstDivergence(catalog, "c1", inputs));
        var (runtime, reference) = Drive(catalog, "c1", inputs);
        Assert.Contains(runtime.All, d => d is { Kind: DecisionKind.Failed, Case: "k2" }); // maxCases 1: refused, and said so
        Assert.Contains(runtime.All, d => d is { Kind: DecisionKind.Failed, Case: null }); // no key: refused, and said so
        Assert.Equal(Grouped(runtime), reference.Decisions.Where(g => g.Value.Count > 0).ToDictionary());
    }

    /// <summary>The journey with a case key read from the event's <c>t</c>, and at most two runs open.</summary>
    private static string WithCases(string yaml)
    {
        var at = yaml.IndexOf('\n', StringComparison.Ordinal) + 1;
        return yaml[..at] + "case: event.t\nmaxCases: 2\n" + yaml[at..];
    }

    internal sealed record CaseInput(string? EventType, string? Key, int Hours)
    {
        public override string ToString() => EventType is { } t ? $"event {t} key={Key ?? "none"}" : $"advance {Hours}h";
    }

    private static List<CaseInput> RandomInputs(Random random, string[] alphabet)
    {
        var inputs = new List<CaseInput>();
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            inputs.Add(random.NextDouble() switch
            {
                < 0.65 => new CaseInput(alphabet[random.Next(alphabet.Length)], random.Next(5) == 0 ? null : Keys[random.Next(Keys.Length)], 0),
                < 0.9 => new CaseInput(null, null, random.Next(1, 49)),
                _ => new CaseInput(null, null, 24 * random.Next(2, 12)),
            });
        }

        return inputs;
    }

    private static Dictionary<string, List<(long At, DecisionKind Kind, string Step)>> Grouped(RuntimeUnderTest runtime) =>
        runtime.All.GroupBy(d => d.Case ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => (d.Timestamp.UtcTicks, d.Kind, d.Step)).ToList(), StringComparer.Ordinal);

    private static string? FirstDivergence(JourneyCatalog catalog, string customer, List<CaseInput> inputs)
    {
        var runtime = new RuntimeUnderTest(catalog, customer);
        var reference = new CaseReference(catalog, customer, Start.UtcTicks);
        var now = Start.UtcTicks;
        for (var i = 0; i < inputs.Count; i++)
        {
            now = Apply(inputs[i], runtime, reference, now);
            if (!runtime.OpenCases.SequenceEqual(reference.OpenCases))
            {
                return $"after input {i + 1} ({inputs[i]}) the runtime's open runs are [{string.Join(", ", runtime.OpenCases)}], the reference's [{string.Join(", ", reference.OpenCases)}]";
            }

            var actual = Grouped(runtime);
            var expected = reference.Decisions.Where(g => g.Value.Count > 0).ToDictionary(StringComparer.Ordinal);
            if (actual.Count != expected.Count || actual.Any(g => !expected.TryGetValue(g.Key, out var e) || !e.SequenceEqual(g.Value)))
            {
                return $"after input {i + 1} ({inputs[i]}) the decisions differ";
            }
        }

        return null;
    }

    private static long Apply(CaseInput input, RuntimeUnderTest runtime, CaseReference reference, long now)
    {
        if (input.EventType is { } type)
        {
            runtime.Event(type, now, input.Key is null ? null : new Dictionary<string, object?> { ["t"] = input.Key });
            reference.Event(type, input.Key, now);
            return now;
        }

        now += TimeSpan.FromHours(input.Hours).Ticks;
        runtime.AdvanceTo(now);
        reference.AdvanceTo(now);
        return now;
    }

    private static (RuntimeUnderTest Runtime, CaseReference Reference) Drive(JourneyCatalog catalog, string customer, List<CaseInput> inputs)
    {
        var runtime = new RuntimeUnderTest(catalog, customer);
        var reference = new CaseReference(catalog, customer, Start.UtcTicks);
        var now = Start.UtcTicks;
        foreach (var input in inputs)
        {
            now = Apply(input, runtime, reference, now);
        }

        return (runtime, reference);
    }

    private static string Report(JourneyCatalog catalog, string customer, List<CaseInput> inputs, string divergence, string yaml)
    {
        var (runtime, reference) = Drive(catalog, customer, inputs);
        var text = new StringBuilder().AppendLine(divergence).AppendLine("Inputs (from " + Sim.At(Start) + "):");
        inputs.ForEach(i => text.AppendLine("  " + i));
        text.AppendLine("Runtime:");
        runtime.All.ForEach(d => text.AppendLine($"  {Sim.Line(d)} [{d.Case}]"));
        text.AppendLine("Reference:");
        foreach (var (key, log) in reference.Decisions)
        {
            log.ForEach(d => text.AppendLine($"  [{key}] {Sim.At(new DateTimeOffset(d.At, TimeSpan.Zero))} {d.Kind} {d.Step}"));
        }

        return text.AppendLine("Journey:").AppendLine(yaml).ToString();
    }
}
