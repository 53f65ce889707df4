using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Writes each message to a <see cref="TextWriter"/> (the console by default), for samples and local runs: one
/// readable line naming the customer, the template, the journey and the step, then the rendered subject
/// (<c>  subject: ...</c>) and body (each line as <c>  | ...</c>) when the message has them (a journey folder without
/// templates has neither). One attempt; a write that fails (<see cref="IOException"/>) is a retryable failure.</summary>
public sealed class ConsoleChannel : IChannel
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();

    /// <summary>Creates the channel.</summary>
    /// <param name="name">The channel name it serves (such as <c>push</c>), or <c>*</c> for every name.</param>
    /// <param name="writer">Where lines go; <see cref="Console.Out"/> when null.</param>
    public ConsoleChannel(string name = RecordingChannel.AnyName, TextWriter? writer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _writer = writer ?? Console.Out;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            lock (_gate)
            {
                _writer.WriteLine($"{message.Timestamp:yyyy-MM-dd'T'HH:mm:ss'Z'} [{message.Channel}] {message.CustomerId} <- {message.Template} ({message.JourneyId}/{message.Step})");
                if (message.Subject is { } subject)
                {
                    _writer.WriteLine($"  subject: {subject}");
                }

                if (message.Body is { } body)
                {
                    foreach (var line in body.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
                    {
                        _writer.WriteLine($"  | {line}");
                    }
                }
            }
        }
        catch (IOException e)
        {
            return ValueTask.FromResult(DeliveryResult.Retry($"cannot write: {e.Message}"));
        }

        return ValueTask.FromResult(DeliveryResult.Delivered);
    }
}
