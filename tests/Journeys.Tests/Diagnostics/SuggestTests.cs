using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Diagnostics;
using Journeys.Tests.Support;

namespace Journeys.Tests.Diagnostics;

/// <summary>"Did you mean" is bounded by the length of what it compares: a band of the threshold's width, rows instead of
/// a matrix, an early stop, and a cap on the names compared.</summary>
public sealed class SuggestTests
{
    /// <summary>The full-matrix optimal string alignment distance, as the suggestions were first computed.</summary>
    private static int Reference(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static readonly Gen<string> Word = Gen.Elements('a', 'b', 'c', 'd').ArrayOf().Select(c => new string(c.Take(12).ToArray()));

    [Property(MaxTest = 3000)]
    public Property Distance_WithinTheBound_IsExact_AndPastItIsOverTheBound() =>
        Prop.ForAll(Arb.From(Word), Arb.From(Word), Arb.From(Gen.Choose(0, 6)), (a, b, max) =>
        {
            var exact = Reference(a, b);
            var bounded = Suggest.Distance(a, b, max);
            return exact <= max ? bounded == exact : bounded > max;
        });

    [Property(MaxTest = 1000)]
    public Property Distance_Unbounded_IsTheReference() =>
        Prop.ForAll(Arb.From(Word), Arb.From(Word), (a, b) => Suggest.Distance(a, b) == Reference(a, b));

    [Fact]
    public void Closest_OneCharacterOff_IsSuggested()
    {
        Assert.Equal("consult", Suggest.Closest("consul", ["guide", "consult", "survey"]));
        Assert.Equal("survey", Suggest.Closest("suvrey", ["guide", "consult", "survey"]));
        Assert.Null(Suggest.Closest("xyz", ["guide", "consult", "survey"]));
    }

    [Fact]
    public void Closest_HugeNames_IsFast()
    {
        var name = new string('s', 900_000);
        var candidates = Enumerable.Range(0, 20).Select(i => name[..^1] + (char)('a' + i)).ToList();

        Assert.Null(Budget.Within(() => Suggest.Closest(name, candidates))); // past the length cap: no suggestion, no work
    }

    [Fact]
    public void Closest_ManyLongCandidatesAtTheCap_IsFast()
    {
        var word = new string('a', Suggest.MaxLength);
        var candidates = Enumerable.Range(0, 20_000).Select(i => new string((char)('a' + (i % 3)), Suggest.MaxLength)).ToList();

        Assert.Equal(word, Budget.Within(() => Suggest.Closest(word, candidates.Append(word).ToList())));
    }

    [Fact]
    public void Load_HugeJourneyWithLongStepNamesAndGotosOneCharacterOff_IsADiagnosticInTime()
    {
        // 200 steps named with 300 characters, each going to a name one character off: with a full matrix per pair,
        // 200 x 200 x 90,000 cells (3.6 billion).
        var yaml = new System.Text.StringBuilder("journey: x\nentry: { on: signed_up }\nstart: s0" + new string('n', 298) + "\nsteps:\n");
        for (var i = 0; i < 200; i++)
        {
            var name = $"s{i}" + new string('n', 300 - 1 - i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            yaml.Append($"  {name}:\n    then:\n      - after: 1d\n        goto: {name}x\n");
        }

        var catalog = Budget.Within(() => Diagnose.Load(yaml.ToString()));

        Assert.Equal(200, catalog.Diagnostics.Count(d => d.Code == DiagnosticCodes.UnknownStep));
    }
}
