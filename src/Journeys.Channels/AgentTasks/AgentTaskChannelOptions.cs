namespace Journeys.Channels;

/// <summary>Settings of an <see cref="AgentTaskChannel"/>; each default can be changed per template by a front matter
/// field (named in brackets).</summary>
public sealed class AgentTaskChannelOptions
{
    /// <summary>The channel name journeys use in <c>send: { channel: ... }</c>; <c>agent-task</c> by default.</summary>
    public string Name { get; set; } = "agent-task";

    /// <summary>The queue tasks go to (<c>queue</c>); <c>callbacks</c> by default.</summary>
    public string Queue { get; set; } = "callbacks";

    /// <summary>The customer trait naming the staff member to assign (<c>assignee</c>); <c>owner</c> by default. A
    /// customer without it gets an unassigned task.</summary>
    public string AssigneeTrait { get; set; } = "owner";

    /// <summary>How long after the send a task is due (<c>due</c>, an ISO 8601 duration such as <c>PT1H</c> or
    /// <c>P2D</c>); 48 hours by default, more than zero.</summary>
    public TimeSpan DueAfter { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The event type the host publishes when a task is done (<c>completedEvent</c>);
    /// <c>agent_task_completed</c> by default.</summary>
    public string CompletionEvent { get; set; } = "agent_task_completed";

    internal List<string> Errors()
    {
        var errors = new List<string>();
        foreach (var (property, value) in new[] { (nameof(Name), Name), (nameof(Queue), Queue), (nameof(AssigneeTrait), AssigneeTrait), (nameof(CompletionEvent), CompletionEvent) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{nameof(AgentTaskChannelOptions)}.{property} must not be empty.");
            }
        }

        if (DueAfter <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(AgentTaskChannelOptions)}.{nameof(DueAfter)} must be more than zero (was {DueAfter}).");
        }

        return errors;
    }
}
