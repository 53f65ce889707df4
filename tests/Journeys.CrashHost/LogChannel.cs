using Journeys.Delivery;

namespace Journeys.CrashHost;

/// <summary>Stands in for every channel (<c>*</c>): a delivery is a line in the deliveries log, written before the
/// engine hears it was delivered.</summary>
internal sealed class LogChannel(JsonLines log) : IChannel
{
    public string Name => RecordingChannel.AnyName;

    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        log.Write(new DeliveryLine(message.IdempotencyKey, message.Timestamp, message.CustomerId, message.JourneyId, message.Step,
            message.Channel, message.Template));
        return ValueTask.FromResult(DeliveryResult.Delivered);
    }
}

/// <summary>One line of the deliveries log.</summary>
internal sealed record DeliveryLine(string Key, DateTimeOffset At, string Customer, string Journey, string Step, string Channel, string Template);
