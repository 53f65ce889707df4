using Journeys.State;

namespace Journeys.Delivery;

/// <summary>Work for a person — a call-back, a consultation, a ticket follow-up — that a journey's send created through an
/// agent-task channel: who it is about, who should do it, by when, and the event the host publishes back when it is
/// done (<see cref="Completed"/>), so the journey waiting with <c>on: &lt;that event&gt;</c> goes on. Staff work is not
/// a message to the customer; the journey's caps count it only if the channel is capped.</summary>
public sealed record AgentTask
{
    /// <summary>The task's id: the send's idempotency key, so the same send never makes two tasks.</summary>
    public required string Id { get; init; }

    /// <summary>The queue (team, skill) it belongs to.</summary>
    public required string Queue { get; init; }

    /// <summary>The customer the task is about.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The journey that made it.</summary>
    public required string JourneyId { get; init; }

    /// <summary>The journey's version.</summary>
    public int JourneyVersion { get; init; }

    /// <summary>The step that made it.</summary>
    public required string Step { get; init; }

    /// <summary>The template's name.</summary>
    public required string Template { get; init; }

    /// <summary>A one-line title: the rendered subject, or null.</summary>
    public string? Title { get; init; }

    /// <summary>What to do: the rendered body.</summary>
    public required string Instructions { get; init; }

    /// <summary>Who should do it (a staff id), or null for whoever in <see cref="Queue"/> takes it.</summary>
    public string? Assignee { get; init; }

    /// <summary>The send's priority.</summary>
    public int Priority { get; init; }

    /// <summary>When the journey decided the task.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it should be done by.</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>The event type the host publishes when the task is done (<see cref="Completed"/>).</summary>
    public required string CompletionEvent { get; init; }

    /// <summary>The template's other front matter fields, for the host's task screen.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The event that tells the journey the task is done: type <see cref="CompletionEvent"/>, for
    /// <see cref="CustomerId"/>, with the properties <c>taskId</c>, <c>outcome</c>, <c>queue</c>, <c>journey</c> and
    /// <c>step</c> (a journey reads them as <c>event.outcome</c>). Publish it with <c>engine.PublishAsync</c>.</summary>
    /// <param name="outcome">How it went, in the host's words (<c>reached</c>, <c>no_answer</c>...).</param>
    /// <param name="completedAt">When it was done.</param>
    public CustomerEvent Completed(string outcome, DateTimeOffset completedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        return new CustomerEvent(CustomerId, CompletionEvent, completedAt, new Dictionary<string, object?>
        {
            ["taskId"] = Id,
            ["outcome"] = outcome,
            ["queue"] = Queue,
            ["journey"] = JourneyId,
            ["step"] = Step,
        });
    }
}
