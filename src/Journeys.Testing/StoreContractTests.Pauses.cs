using Journeys.Persistence;

namespace Journeys.Testing;

/// <summary>The store contract for paused journeys (<c>JourneyEngine.PauseJourneyAsync</c>): a store keeps the last set
/// saved, or says it does not keep any; it never accepts a pause and forgets it.</summary>
public abstract partial class StoreContractTests<TStore>
    where TStore : class, IJourneyStore
{
    private Task<IReadOnlyList<string>> PausedAsync() =>
        WithStoreAsync(store => ((IJourneyStore)store).LoadPausedJourneysAsync(CancellationToken.None).AsTask());

    private Task SavePausedAsync(params string[] journeyIds) => WithStoreAsync(async store =>
    {
        await ((IJourneyStore)store).SavePausedJourneysAsync(journeyIds, CancellationToken.None);
        return 0;
    });

    /// <summary>Paused journeys saved are loaded by the next opening of the store, and a later save replaces them; a store
    /// that does not keep them throws <see cref="NotSupportedException"/> on saving and loads none (the engine then
    /// refuses the pause).</summary>
    [Fact]
    public async Task PausedJourneys_SavedThenReopened_KeptAndReplaced_OrRefusedOnSaving()
    {
        Assert.Empty(await PausedAsync());
        try
        {
            await SavePausedAsync("nurture", "birthday");
        }
        catch (NotSupportedException)
        {
            Assert.Empty(await PausedAsync()); // refused: nothing half-kept
            return;
        }

        Assert.Equal(["birthday", "nurture"], (await PausedAsync()).Order(StringComparer.Ordinal));
        await SavePausedAsync("birthday");
        Assert.Equal(["birthday"], await PausedAsync());
        await SavePausedAsync();
        Assert.Empty(await PausedAsync());
    }
}
