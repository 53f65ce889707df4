using System.Collections.Concurrent;

namespace Journeys.Delivery;

/// <summary>An in-memory channel that records every message and delivers it at once: for tests, simulation and samples.
/// Named <c>*</c> (<see cref="AnyName"/>) it stands in for every channel a journey names.</summary>
public sealed class RecordingChannel : IChannel
{
    /// <summary>The name that makes a recording channel accept every channel name.</summary>
    public const string AnyName = "*";

    private readonly ConcurrentQueue<OutboundMessage> _messages = new();

    /// <summary>Creates a recording channel.</summary>
    /// <param name="name">The channel name it serves, or <see cref="AnyName"/> for all.</param>
    public RecordingChannel(string name = AnyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Every message received, in arrival order.</summary>
    public IReadOnlyCollection<OutboundMessage> Messages => _messages;

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        _messages.Enqueue(message);
        return ValueTask.FromResult(DeliveryResult.Delivered);
    }
}
