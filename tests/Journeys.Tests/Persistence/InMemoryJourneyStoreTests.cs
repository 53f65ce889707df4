using Journeys.Persistence;

namespace Journeys.Tests.Persistence;

/// <summary>The in-memory store passes the store contract: a restart within one process, on the same object.</summary>
public sealed class InMemoryJourneyStoreTests : JourneyStoreContractTests
{
    private readonly InMemoryJourneyStore _store = new();

    protected override IJourneyStore OpenStore() => _store;
}
