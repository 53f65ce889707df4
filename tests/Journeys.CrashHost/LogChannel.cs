using Journeys.Delivery;

namespace Journeys.CrashHost;

/// <summary>Stands in for every channel (<c>*</c>): a delivery is a line in the deliveries log, written before the
/// engine hears it was delivered. One message in eight answers a few milliseconds (wall time) later, as a slow provider
/// would, so a kill often lands between a delivery and the batch that removes it from the outbox.</summary>
internal sealed class LogChannel(JsonLines log) : IChannel
{
    private int _sent;

    public string Name => RecordingChannel.AnyName;

    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        log.Write(new DeliveryLine(message.IdempotencyKey, message.Timestamp, message.CustomerId, message.JourneyId, message.Step,
            message.Channel, message.Template));
        if (Interlocked.Increment(ref _sent) % 8 == 0)
        {
            await Task.Delay(3, cancellationToken);
        }

        return DeliveryResult.Delivered;
    }
}

/// <summary>One line of the deliveries log.</summary>
internal sealed record DeliveryLine(string Key, DateTimeOffset At, string Customer, string Journey, string Step, string Channel, string Template);
