using Journeys.Persistence;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Idle eviction (<see cref="JourneyEngineOptions.IdleEviction"/>): what the partitions need from the engine to
/// load an evicted customer back.</summary>
public sealed partial class JourneyEngine
{
    // The versions the engine runs (set at start and by each reload): an evicted customer is rebuilt against them.
    private VersionPlan? _plan;

    /// <summary>The idle time after which a settled customer is evicted (null: never); set by the builder.</summary>
    internal TimeSpan? IdleEviction { get; init; }

    /// <summary>Rebuilds a customer from a snapshot, as a restart would (called on a partition's worker).</summary>
    private CustomerState RestoreCustomer(CustomerSnapshot snapshot) =>
        SnapshotMapper.FromSnapshot(snapshot, _plan ?? throw new InvalidOperationException("The engine has not started."), Now());

    /// <summary>How many customers the partitions hold in memory now (tests, and a gauge of memory following the active
    /// population). Read from the partitions' tables without their workers: exact once a drain returned.</summary>
    internal int CustomersInMemory => _partitions.Sum(p => p.Processor.Customers.Count);
}
