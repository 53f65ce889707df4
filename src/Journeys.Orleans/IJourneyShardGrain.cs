namespace Journeys.Orleans;

/// <summary>One shard: the customers whose <see cref="Journeys.Engine.CustomerPartitions.PartitionOf"/> is the grain's key,
/// run by a one-partition engine (see docs/scale-out.md).</summary>
internal interface IJourneyShardGrain : IGrainWithIntegerKey
{
    /// <summary>Queues the inputs in order (events in runs, as one published list each); completes when queued.</summary>
    Task PublishAsync(ShardInput[] inputs);

    /// <summary>The customer's state as the shard's engine holds it, or null (<see cref="Journeys.Engine.JourneyEngine.InspectCustomerAsync"/>).</summary>
    Task<Journeys.Engine.CustomerView?> InspectCustomerAsync(string customerId);

    /// <summary>Erases the customer from the shard's engine and stored state (<see cref="Journeys.Engine.JourneyEngine.ForgetAsync"/>).</summary>
    Task<Journeys.Engine.ForgetResult> ForgetAsync(string customerId);

    /// <summary>Pauses (<paramref name="paused"/>) or resumes a journey on this shard's engine, saved in the shard's state
    /// first; true when that changed it (<see cref="Journeys.Engine.JourneyEngine.PauseJourneyAsync"/>).</summary>
    Task<bool> SetJourneyPausedAsync(string journeyId, bool paused);

    /// <summary>Completes when everything given before is applied, saved and delivered.</summary>
    Task DrainAsync();

    /// <summary>The earliest due journey timer, after a drain.</summary>
    Task<DateTimeOffset?> NextTimerDueAsync();

    /// <summary>Whether the shard's wake-up reminder is registered.</summary>
    Task<bool> HasWakeReminderAsync();

    /// <summary>The silo this activation runs on.</summary>
    Task<SiloAddress> SiloAsync();

    /// <summary>The ids of the customers this shard's stored snapshot and stored changes hold, for checks.</summary>
    Task<StoredCustomers> StoredCustomersAsync();
}
