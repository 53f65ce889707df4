using Microsoft.Extensions.Logging;

namespace Journeys.Diagnostics;

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
}
