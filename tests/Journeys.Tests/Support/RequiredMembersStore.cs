using Journeys.Language.Loading;
using Journeys.Persistence;

namespace Journeys.Tests.Support;

/// <summary>A store that implements only the members <see cref="IJourneyStore"/> requires — as a third party's store, or
/// one written before the optional members existed, may — passing them to <paramref name="inner"/>; the interface's
/// defaults answer for the rest (no paused journeys, no committed clock, no customer controls).</summary>
internal sealed class RequiredMembersStore(IJourneyStore inner) : IJourneyStore
{
    /// <summary>Over a new <see cref="InMemoryJourneyStore"/>.</summary>
    public RequiredMembersStore()
        : this(new InMemoryJourneyStore())
    {
    }

    public IAsyncEnumerable<CustomerRecord> LoadCustomersAsync(CancellationToken cancellationToken) => inner.LoadCustomersAsync(cancellationToken);

    public ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken) => inner.LoadOutboxAsync(cancellationToken);

    public ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken) => inner.SaveChangesAsync(customers, outboxAdded, outboxDone, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken) =>
        inner.LoadJourneyVersionsAsync(cancellationToken);

    public ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken) =>
        inner.SaveJourneyVersionsAsync(versions, cancellationToken);
}
