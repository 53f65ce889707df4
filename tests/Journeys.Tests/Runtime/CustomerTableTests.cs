using Journeys.State;

namespace Journeys.Tests.Runtime;

/// <summary>The partition's open-addressing customer table: every id added is found (through growth and probing), ids
/// never added are not, and setting an id again replaces its customer.</summary>
public sealed class CustomerTableTests
{
    private static CustomerState Customer(string id) => new(id, 1);

    [Fact]
    public void Table_ManyIdsThroughSeveralGrowths_FindsEachAndOnlyThose()
    {
        var table = new CustomerTable();
        var ids = Enumerable.Range(0, 50_000).Select(i => "c" + i).ToList();
        var added = ids.ToDictionary(id => id, Customer, StringComparer.Ordinal);
        foreach (var customer in added.Values)
        {
            table.Set(customer);
        }

        Assert.Equal(ids.Count, table.Count);
        Assert.All(ids, id => Assert.True(table.TryGetValue(new string(id.AsSpan()), out var found) && ReferenceEquals(found, added[id])));
        Assert.All(Enumerable.Range(50_000, 1_000), i => Assert.False(table.TryGetValue("c" + i, out _)));
        Assert.Equal(added.Values.ToHashSet(), table.ToHashSet());
    }

    [Fact]
    public void Customer_InTheTable_KeepsNoIdString_AndGetsItsIdFromTheTableThroughGrowth()
    {
        var table = new CustomerTable();
        // Inline ASCII ids (up to 11 characters), longer ones, non-ASCII ones and the empty id, through several growths.
        var ids = Enumerable.Range(0, 5_000).Select(i => (i % 4) switch
        {
            0 => "c" + i,
            1 => "customer-with-a-long-id-" + i,
            2 => "客户" + i,
            _ => i == 3 ? "" : "12345678901" + i,
        }).ToList();
        var customers = ids.Select(id => Customer(new string(id.AsSpan()))).ToList();
        foreach (var customer in customers)
        {
            table.Set(customer);
        }

        var idField = typeof(CustomerState).GetField("_id", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        Assert.All(customers, c => Assert.Same(table, idField.GetValue(c)));
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(ids[i], customers[i].Id);
            Assert.Same(customers[i].Id, customers[i].Id); // one string while the same customer is asked for
        }

        var replacement = Customer("c0");
        table.Set(replacement);
        Assert.Equal("c0", replacement.Id);
        Assert.Equal("c0", customers[0].Id); // replaced, it holds its id again: a stale timer can still name it
        Assert.Equal("c0", idField.GetValue(customers[0]));
    }

    [Fact]
    public void Table_SetAgain_ReplacesTheCustomerWithoutGrowing()
    {
        var table = new CustomerTable();
        table.Set(Customer("c1"));
        var replacement = Customer("c1");

        table.Set(replacement);

        Assert.Equal(1, table.Count);
        Assert.True(table.TryGetValue("c1", out var found));
        Assert.Same(replacement, found);
    }

    [Fact]
    public void Table_EmptyAndUnusualIds_AreKeysLikeAnyOther()
    {
        var table = new CustomerTable();
        string[] ids = ["", " ", "ü-客户", new string('x', 10_000)];
        foreach (var id in ids)
        {
            table.Set(Customer(id));
        }

        Assert.All(ids, id => Assert.True(table.TryGetValue(id, out var found) && found.Id == id));
        Assert.False(table.TryGetValue("x", out _));
    }

    [Fact]
    public void Table_IdsInTheSlotAndInTheSharedArray_FindEachOnlyByTheExactId()
    {
        Assert.Equal(32, CustomerTable.SlotSize);
        var table = new CustomerTable();
        string[] ids =
        [
            "abcdefghij", "abcdefghijk", "abcdefghijkl", // one under, at and over the longest id kept in the slot
            "abcdefghijj", "bbcdefghijk",                // the same length, differing in the last or the first character
            "é", "aé", "42", "0", "\u007f", "\u0080",    // non-ASCII ids are kept in the shared array
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301",     // a UUID
        ];
        foreach (var id in ids)
        {
            table.Set(Customer(id));
        }

        Assert.All(ids, id => Assert.True(table.TryGetValue(new string(id.AsSpan()), out var found) && found.Id == id, id));
        string[] absent = ["abcdefghi", "abcdefghijkm", "Abcdefghijk", "e", "a\u00e8", "4", "42 ", "3f2504e0-4f89-11d3-9a0c-0305e82c3302", "\u0100"];
        Assert.All(absent, id => Assert.False(table.TryGetValue(id, out _), id));
    }

    [Fact]
    public void Quiet_MarkSetThenTheTableGrows_MarkKeptUntilItsTickAndClearedOnReplace()
    {
        var table = new CustomerTable();
        var c1 = Customer("c1");
        table.Set(c1);
        table.SetQuiet(c1, untilTicks: 100);
        for (var i = 0; i < 10_000; i++)
        {
            table.Set(Customer("x" + i)); // several growths move c1's slot
        }

        var hash = CustomerTable.Hash("c1");
        Assert.True(table.IsQuiet("c1", hash, nowTicks: 99));
        Assert.False(table.IsQuiet("c1", hash, nowTicks: 100));
        Assert.False(table.IsQuiet("unknown", CustomerTable.Hash("unknown"), nowTicks: 0));
        Assert.Equal(100, table.QuietUntil(c1));

        var replacement = Customer("c1");
        table.Set(replacement);
        Assert.False(table.IsQuiet("c1", hash, nowTicks: 0));
        Assert.Equal(10_001, table.Count);
    }
}
