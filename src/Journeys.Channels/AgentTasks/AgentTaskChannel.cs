using System.Globalization;
using System.Xml;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Turns each message into an <see cref="AgentTask"/> — work for staff, such as the new-customer call-back —
/// and records it in the host's <see cref="IAgentTaskSink"/>: the rendered subject as its title and body as its
/// instructions, the queue, the assignee (a trait), the due time (the send's time plus <c>due</c>) and the event that
/// closes the loop. When the work is done, the host publishes <see cref="AgentTask.Completed"/>, and the journey
/// waiting on it (<c>on: consult_completed</c>) goes on.</summary>
/// <remarks>Front matter fields: <c>queue</c>, <c>assignee</c>, <c>due</c> (ISO 8601 duration), <c>completedEvent</c>;
/// the others are kept on the task. One attempt per send: the task's id is the idempotency key, so a retried send
/// does not make a second task. A sink that throws is a retryable failure; a message without a body or with a bad
/// <c>due</c> is permanent.</remarks>
public sealed class AgentTaskChannel : IChannel
{
    private static readonly HashSet<string> OwnFields = ["queue", "assignee", "due", "completedEvent"];

    private readonly IAgentTaskSink _sink;
    private readonly AgentTaskChannelOptions _options;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The settings; checked now, throwing an <see cref="ArgumentException"/> that names every
    /// wrong property. Read once.</param>
    /// <param name="sink">Where tasks are recorded.</param>
    public AgentTaskChannel(AgentTaskChannelOptions options, IAgentTaskSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var errors = options.Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(AgentTaskChannelOptions)}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors), nameof(options));
        }

        _options = new AgentTaskChannelOptions
        {
            Name = options.Name,
            Queue = options.Queue,
            AssigneeTrait = options.AssigneeTrait,
            DueAfter = options.DueAfter,
            CompletionEvent = options.CompletionEvent,
        };
        _sink = sink;
        Name = options.Name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (message.Body is not { } instructions)
        {
            return MessageFields.NotRendered(message);
        }

        var due = _options.DueAfter;
        if (MessageFields.Get(message, "due") is { } text)
        {
            try
            {
                due = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                return DeliveryResult.Permanent($"template '{message.Template}': due '{text}' is not an ISO 8601 duration (such as PT4H or P2D)");
            }
        }

        message.Traits.TryGetValue(_options.AssigneeTrait, out var assignee);
        var task = new AgentTask
        {
            Id = message.IdempotencyKey,
            Queue = MessageFields.Get(message, "queue") ?? _options.Queue,
            CustomerId = message.CustomerId,
            JourneyId = message.JourneyId,
            JourneyVersion = message.JourneyVersion,
            Step = message.Step,
            Template = message.Template,
            Title = message.Subject,
            Instructions = instructions,
            Assignee = MessageFields.Get(message, "assignee") ?? (Convert.ToString(assignee, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } a ? a : null),
            Priority = message.Priority,
            CreatedAt = message.Timestamp,
            DueAt = message.Timestamp + due,
            CompletionEvent = MessageFields.Get(message, "completedEvent") ?? _options.CompletionEvent,
            Fields = message.Fields.Where(f => !OwnFields.Contains(f.Key)).ToDictionary(StringComparer.Ordinal),
        };
        try
        {
            await _sink.AddAsync(task, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Delivered;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return DeliveryResult.Retry($"the agent task sink failed: {e.Message}");
        }
    }
}
