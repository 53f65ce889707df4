using Journeys.Persistence;

namespace Journeys.Testing;

/// <summary>The store contract for the engine's committed clock (<see cref="IJourneyStore.SaveCommittedClockAsync"/>): a
/// store keeps the last one saved across reopenings, or keeps none (then the engine makes up no missed schedule
/// occurrence); it never hands back a clock other than the last one saved.</summary>
public abstract partial class StoreContractTests<TStore>
    where TStore : class, IJourneyStore
{
    private Task<DateTimeOffset?> ClockAsync() =>
        WithStoreAsync(store => ((IJourneyStore)store).LoadCommittedClockAsync(CancellationToken.None).AsTask());

    private Task SaveClockAsync(DateTimeOffset clock) => WithStoreAsync(async store =>
    {
        await ((IJourneyStore)store).SaveCommittedClockAsync(clock, CancellationToken.None);
        return 0;
    });

    /// <summary>None before the first save; after saves, the last one saved, as the same instant (whatever its offset), by
    /// the next opening of the store — or none at all by a store that does not keep it.</summary>
    [Fact]
    public async Task CommittedClock_SavedThenReopened_TheLastOneSaved_OrNoneKept()
    {
        Assert.Null(await ClockAsync());
        var first = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(8));
        await SaveClockAsync(first);
        if (await ClockAsync() is not { } kept)
        {
            return; // a store that does not keep the clock: the engine makes nothing up
        }

        Assert.Equal(first.UtcTicks, kept.UtcTicks);
        var second = first.AddDays(3).AddTicks(1);
        await SaveClockAsync(second);
        Assert.Equal(second.UtcTicks, (await ClockAsync())?.UtcTicks);
    }
}
