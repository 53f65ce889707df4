using Microsoft.Extensions.Logging;

namespace Journeys.Telemetry;

/// <summary>The engine's log messages, source-generated so a disabled level costs one check and formats nothing. Event
/// ids are stable: operators filter and alert on them.</summary>
internal static partial class JourneysLog
{
    [LoggerMessage(EventId = 1, EventName = "EngineStarted", Level = LogLevel.Information,
        Message = "Journeys engine started: journeys {JourneyCount}, partitions {PartitionCount}, queue capacity {QueueCapacity} per partition")]
    public static partial void EngineStarted(this ILogger logger, int journeyCount, int partitionCount, int queueCapacity);

    [LoggerMessage(EventId = 2, EventName = "EngineStopped", Level = LogLevel.Information,
        Message = "Journeys engine stopped: queued work applied and deliveries in flight ended")]
    public static partial void EngineStopped(this ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "PartitionWorkerError", Level = LogLevel.Error,
        Message = "Partition {Partition} failed to apply an item or to save its customers; it carries on with the next item")]
    public static partial void PartitionWorkerError(this ILogger logger, int partition, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "EventSourceError", Level = LogLevel.Error,
        Message = "An event source subscribed to the engine failed; its subscription has ended")]
    public static partial void EventSourceError(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "DeliveryFailed", Level = LogLevel.Warning,
        Message = "Delivery on channel {Channel} failed for journey {JourneyId} step {Step} (idempotency key {IdempotencyKey}): {Reason}")]
    public static partial void DeliveryFailed(this ILogger logger, string channel, string journeyId, string step, string idempotencyKey, string reason,
        Exception? exception);

    [LoggerMessage(EventId = 9, EventName = "CallFailed", Level = LogLevel.Warning,
        Message = "Call of action {Action} failed for journey {JourneyId} step {Step} (idempotency key {IdempotencyKey}): {Reason}")]
    public static partial void CallFailed(this ILogger logger, string action, string journeyId, string step, string idempotencyKey, string reason,
        Exception? exception);

    [LoggerMessage(EventId = 6, EventName = "OutboxRedelivered", Level = LogLevel.Information,
        Message = "Delivering {Count} message(s) again from the store's outbox: decided and saved by an earlier engine, their end not " +
                  "recorded, so some may reach their receivers twice (with the same idempotency keys); {Retrying} of them go on from " +
                  "attempts that failed before")]
    public static partial void OutboxRedelivered(this ILogger logger, int count, int retrying);

    [LoggerMessage(EventId = 7, EventName = "DeliveriesLeftAtStop", Level = LogLevel.Warning,
        Message = "The engine stopped before {Count} message(s) were delivered (its stop was cancelled or its drain deadline passed): {Fate}")]
    public static partial void DeliveriesLeftAtStop(this ILogger logger, int count, string fate);

    [LoggerMessage(EventId = 8, EventName = "DecisionObserverError", Level = LogLevel.Error,
        Message = "A decision observer threw on a {Kind} decision for journey {JourneyId}; the decision stands, the other observers got it, and this observer stays subscribed")]
    public static partial void DecisionObserverError(this ILogger logger, string kind, string journeyId, Exception exception);

    // Journey versions (20-29; docs/operations.md, "Versions of journeys").

    [LoggerMessage(EventId = 20, EventName = "JourneyVersionDeployed", Level = LogLevel.Information,
        Message = "Journey {JourneyId} version {Version} deployed: {Customers} customer(s) inside version(s) {OldVersions} {Outcome}")]
    public static partial void JourneyVersionDeployed(this ILogger logger, string journeyId, int version, int customers, string oldVersions, string outcome);

    [LoggerMessage(EventId = 21, EventName = "JourneyVersionSourceChanged", Level = LogLevel.Warning,
        Message = "Journey {JourneyId} version {Version} changed without a new version number; customers inside it move to the step of the " +
                  "same name in the new text (as with versioning: migrate). Raise 'version' when you change a journey")]
    public static partial void JourneyVersionSourceChanged(this ILogger logger, string journeyId, int version);

    [LoggerMessage(EventId = 22, EventName = "JourneyVersionNotKept", Level = LogLevel.Warning,
        Message = "Journey {JourneyId} says versioning: finish, but the store does not hold version(s) {OldVersions}; " +
                  "their {Customers} customer(s) move to version {Version} instead (as with versioning: migrate)")]
    public static partial void JourneyVersionNotKept(this ILogger logger, string journeyId, int version, string oldVersions, int customers);

    // Rules (30-39; docs/journey-language.md, "Rules").
    [LoggerMessage(EventId = 30, EventName = "RuleFailed", Level = LogLevel.Warning,
        Message = "Rule {Rule} failed to evaluate for customer {CustomerId} in journey {JourneyId} at step {Step}, and counts as not holding: {Error}")]
    public static partial void RuleFailed(this ILogger logger, string rule, string customerId, string journeyId, string step, string error);

    // Reloads (40-49; docs/operations.md, "Reloading journeys").
    [LoggerMessage(EventId = 40, EventName = "JourneysReloaded", Level = LogLevel.Information,
        Message = "Journeys reloaded: {JourneyCount} journey(s), {CustomerCount} customer(s) carried over")]
    public static partial void JourneysReloaded(this ILogger logger, int journeyCount, int customerCount);

    [LoggerMessage(EventId = 41, EventName = "JourneysReloadRefused", Level = LogLevel.Warning,
        Message = "Journeys not reloaded: {ErrorCount} error(s); the engine goes on with the journeys it ran. First: {FirstError}")]
    public static partial void JourneysReloadRefused(this ILogger logger, int errorCount, string firstError);

    // Operators' controls (50-59; docs/operations.md, "Pausing a journey").
    [LoggerMessage(EventId = 50, EventName = "JourneyPaused", Level = LogLevel.Information,
        Message = "Journey {JourneyId} paused: new entries are refused until it is resumed; customers inside go on")]
    public static partial void JourneyPaused(this ILogger logger, string journeyId);

    [LoggerMessage(EventId = 51, EventName = "JourneyResumed", Level = LogLevel.Information,
        Message = "Journey {JourneyId} resumed: customers may enter it again")]
    public static partial void JourneyResumed(this ILogger logger, string journeyId);

    [LoggerMessage(EventId = 52, EventName = "EntryRefusedPaused", Level = LogLevel.Debug,
        Message = "Customer {CustomerId} not entered into journey {JourneyId}: the journey is paused")]
    public static partial void EntryRefusedPaused(this ILogger logger, string customerId, string journeyId);
}
