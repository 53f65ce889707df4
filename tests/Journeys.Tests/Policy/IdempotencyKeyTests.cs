using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Journeys.Policy;

namespace Journeys.Tests.Policy;

/// <summary>The idempotency key receivers deduplicate on: one key per (journey, version, customer, entry, step, send), and
/// for ids without <c>:</c> or <c>%</c> the format outbox rows were written with before escaping came in.</summary>
public sealed class IdempotencyKeyTests
{
    private sealed record Parts(string Journey, int Version, string Customer, int Sequence, string Step, int Send)
    {
        public string Key => PaceStage.IdempotencyKey(Journey, Version, Customer, Sequence, Step, Send);
    }

    // Free text made mostly of the separator, the escape character and what follows an escape, so that different parts
    // that would read the same once joined come up often.
    private static readonly Gen<string> Tricky = Gen.Elements(':', '%', '3', 'A', '2', '5', 'a', '1').ArrayOf()
        .Select(chars => new string(chars.Take(6).ToArray()));

    private static readonly Gen<Parts> TrickyParts =
        from journey in Gen.Elements("j", "j-1", "a")
        from version in Gen.Choose(1, 3)
        from customer in Tricky
        from sequence in Gen.Choose(1, 3)
        from step in Tricky
        from send in Gen.Choose(0, 2)
        select new Parts(journey, version, customer, sequence, step, send);

    [Property(MaxTest = 2000)]
    public Property Keys_OfDifferentParts_Differ() =>
        Prop.ForAll(Arb.From(TrickyParts), Arb.From(TrickyParts), (a, b) => (a == b) == (a.Key == b.Key));

    [Property(MaxTest = 500)]
    public Property Key_SplitAtItsSeparatorsAndUnescaped_GivesBackItsParts() =>
        Prop.ForAll(Arb.From(TrickyParts), p =>
        {
            var fields = p.Key.Split(':');
            return fields.Length == 6 &&
                new Parts(fields[0], Number(fields[1]), Unescape(fields[2]), Number(fields[3]), Unescape(fields[4]), Number(fields[5])) == p;
        });

    [Property(MaxTest = 500)]
    public Property Key_OfIdsWithoutColonOrPercent_IsTheFormatOutboxRowsWereWrittenWith() =>
        Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get.Replace(":", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal))),
            Arb.From(Gen.Elements("welcome", "consult-call", "step 2", "étape")), (customer, step) =>
                PaceStage.IdempotencyKey("nurture", 2, customer, 3, step, 1) == $"nurture:2:{customer}:3:{step}:1");

    [Theory]
    [InlineData("c1", "guide", "nurture:1:c1:1:guide:0")]
    [InlineData("user-42@example.com", "consult", "nurture:1:user-42@example.com:1:consult:0")]
    [InlineData("a:1", "guide", "nurture:1:a%3A1:1:guide:0")]
    [InlineData("50%", "guide", "nurture:1:50%25:1:guide:0")]
    [InlineData("c1", "x:0", "nurture:1:c1:1:x%3A0:0")]
    public void Key_OfKnownParts_IsPinned(string customer, string step, string key) =>
        Assert.Equal(key, PaceStage.IdempotencyKey("nurture", 1, customer, 1, step, 0));

    [Fact]
    public void Keys_ThatTheUnescapedFormatConfused_Differ()
    {
        // Joined as they are, both read "j:1:a:1:1:x:0".
        Assert.NotEqual(PaceStage.IdempotencyKey("j", 1, "a:1", 1, "x", 0), PaceStage.IdempotencyKey("j", 1, "a", 1, "1:x", 0));
        // An escape written by hand is not the character it stands for.
        Assert.NotEqual(PaceStage.IdempotencyKey("j", 1, "a%3A1", 1, "x", 0), PaceStage.IdempotencyKey("j", 1, "a:1", 1, "x", 0));
    }

    private static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static string Unescape(string part) => part.Replace("%3A", ":", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}
