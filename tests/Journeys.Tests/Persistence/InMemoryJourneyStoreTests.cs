using Journeys.Persistence;
using Journeys.Testing;

namespace Journeys.Tests.Persistence;

/// <summary>The in-memory store passes the store contract: a restart within one process, on the same object.</summary>
public sealed class InMemoryJourneyStoreTests : StoreContractTests<InMemoryJourneyStore>
{
    private readonly InMemoryJourneyStore _store = new();

    protected override InMemoryJourneyStore OpenStore() => _store;
}
