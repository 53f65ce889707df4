using System.Text;
using Journeys.Diagnostics;
using Journeys.Interchange;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using static Journeys.Tests.Support.ExpressionHarness;

namespace Journeys.Tests.Expressions;

/// <summary><c>contains(x, v)</c> (journey-language.md "More in expressions"): true when the list trait <c>x</c> holds
/// <c>v</c>, or the text <c>x</c> contains the text <c>v</c>; a missing value on either side is false.</summary>
public sealed class ContainsTests
{
    private static readonly string[] Tags = ["vip", "gold"];

    [Theory]
    [InlineData("contains(customer.tags, 'vip')", true)]
    [InlineData("contains(customer.tags, 'gold')", true)]
    [InlineData("contains(customer.tags, 'VIP')", false)]   // items compare as == does: case matters
    [InlineData("contains(customer.tags, 'vi')", false)]    // an item is matched whole, not as text
    [InlineData("!contains(customer.tags, 'silver')", true)]
    public void Contains_ListTrait_HoldsExactlyItsItems(string expression, bool expected) =>
        Assert.Equal(expected, HoldsFor(expression, ("tags", Tags)));

    [Theory]
    [InlineData("contains(customer.email, '@example.com')", true)]
    [InlineData("contains(customer.email, 'EXAMPLE')", false)]
    [InlineData("contains(customer.email, '')", true)]
    [InlineData("contains('abc', 'bc')", true)]
    public void Contains_TextTrait_LooksForTheTextInside(string expression, bool expected) =>
        Assert.Equal(expected, HoldsFor(expression, ("email", "li@example.com")));

    [Theory]
    [InlineData("contains(customer.missing, 'vip')", false)]
    [InlineData("!contains(customer.missing, 'vip')", true)]   // a customer without the trait does not hold the value
    [InlineData("contains(customer.tags, customer.missing)", false)]
    [InlineData("contains(customer.tags, null)", false)]
    [InlineData("contains(customer.count, '3')", false)]       // a number is neither a list nor a text
    public void Contains_MissingOrOtherValues_IsFalseNeverNull(string expression, bool expected) =>
        Assert.Equal(expected, HoldsFor(expression, ("tags", Tags), ("count", 3)));

    [Fact]
    public void Contains_NumbersAndTimestampsInAList_CompareAsEqualsDoes()
    {
        var items = new List<object?> { 7.0, "2026-01-05T10:00:00Z", true, null };

        Assert.True(HoldsFor("contains(customer.ids, 7)", ("ids", items)));
        Assert.False(HoldsFor("contains(customer.ids, '7')", ("ids", items))); // a number and a text are not equal
        Assert.True(HoldsFor("contains(customer.ids, #2026-01-05T10:00:00Z#)", ("ids", items)));
        Assert.True(HoldsFor("contains(customer.ids, true)", ("ids", items)));
    }

    [Fact]
    public void Contains_EventProperty_ReadsTheEventsList()
    {
        var harness = new ExpressionHarness();
        var expression = harness.Compile("contains(event.skus, 'A-1')");
        var order = new CustomerEvent("c1", "order_completed", Now, new Dictionary<string, object?> { ["skus"] = new[] { "B-2", "A-1" } });

        Assert.True(Holds(expression, harness.Customer(), order));
    }

    [Theory]
    [InlineData("contains(customer.tags)", DiagnosticCodes.TypeError, "j.yaml:4:8", "contains() takes 2 argument(s), not 1: contains(listOrText, value)")]
    [InlineData("contains(3, 'x')", DiagnosticCodes.TypeError, "j.yaml:4:17",
        "type error: contains() looks in a list or a text, not in a number: contains(listOrText, value)")]
    [InlineData("contains('abc', 1)", DiagnosticCodes.TypeError, "j.yaml:4:24",
        "type error: contains() on a text looks for a text, not a number: write it in quotes")]
    [InlineData("contain(customer.tags, 'x')", DiagnosticCodes.UnknownName, "j.yaml:4:8", null)]
    public void Contains_WrongUse_IsALoadErrorAtTheArgument(string expression, string code, string location, string? message)
    {
        var d = Diagnose.Single(Snippets.Guard(expression), Diagnose.Error, code, location);
        if (message is not null)
        {
            Assert.Equal(message, d.Message);
        }
        else
        {
            Assert.Contains("did you mean 'contains'?", d.Message, StringComparison.Ordinal);
        }
    }

    // ---- lists: how JSON arrays arrive, print and compare ----------------------------------------------------------

    [Fact]
    public void EventsFile_ArrayInTraitsAndProperties_BecomesAList()
    {
        var (inputs, errors) = Read(
            """{"type":"identify","userId":"c1","timestamp":"2026-01-05T10:00:00Z","traits":{"tags":["vip",2,true,null,["x"]],"address":{"city":"Shanghai"}}}""",
            """{"type":"track","userId":"c1","event":"order_completed","timestamp":"2026-01-05T10:00:00Z","properties":{"skus":["A-1"]}}""");

        Assert.Empty(errors);
        var tags = Value.From(inputs[0].Profile!.Traits!["tags"]);
        Assert.Equal(ValueKind.List, tags.Kind);
        Assert.Equal("""["vip",2,true,null,["x"]]""", tags.ToString());
        Assert.Equal("""{"city":"Shanghai"}""", inputs[0].Profile!.Traits!["address"]); // an object stays its JSON text
        Assert.Equal(ValueKind.List, inputs[1].Event!.GetProperty("skus").Kind);
    }

    [Fact]
    public void List_Prints_AsAJsonArray()
    {
        var list = Value.From(new object?[] { "a \"b\"", 1.5, false, new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), "会员", "x\ny" });

        Assert.Equal("""["a \"b\"",1.5,false,"2026-01-05T10:00:00Z","会员","x\ny"]""", list.ToString()); // text as written, JSON escapes only
    }

    [Fact]
    public void List_Compared_EqualItemForItemAndNeverOrdered()
    {
        var ab = Value.From(new[] { "a", "b" });

        Assert.True(Value.Equal(ab, Value.From(new List<object?> { "a", "b" })).IsTrue);
        Assert.False(Value.Equal(ab, Value.From(new[] { "b", "a" })).IsTrue);
        Assert.False(Value.Equal(ab, Value.String("""["a","b"]""")).IsTrue); // a list is not its printed text
        Assert.False(Value.Less(ab, Value.From(new[] { "c" })).IsTrue);
        Assert.True(Value.Add(ab, ab).IsNull);
        Assert.Equal(new List<object?> { "a", "b" }, ab.ToObject()); // templates and rules see a list
    }

    [Fact]
    public void WhenEntry_ListTraitFromAnIdentify_EntersTheCustomerWhoHoldsTheTag()
    {
        var lines = Sim.Lines(Sim.Run("""
            journey: vip-welcome
            entry:
              when: "contains(customer.tags, 'vip')"
            start: hello
            steps:
              hello:
                send: { channel: push, template: vip/hello }
            """, new Script()
            .Identify("c1", Sim.T, traits: ("tags", new List<object?> { "new", "vip" }))
            .Identify("c2", Sim.T, traits: ("tags", new List<object?> { "new" })), Sim.T.AddDays(1)));

        Assert.Equal(
        [
            "2026-01-05T10:00:00Z c1 entered hello (when)",
            "2026-01-05T10:00:00Z c1 sent hello push:vip/hello",
            "2026-01-05T10:00:00Z c1 completed hello",
        ], lines);
    }

    private static (List<SegmentInput> Inputs, List<string> Errors) Read(params string[] lines) =>
        SegmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")), "events.jsonl");
}
