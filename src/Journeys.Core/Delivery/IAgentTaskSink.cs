namespace Journeys.Delivery;

/// <summary>Where an agent-task channel records tasks: the host's call-back queue (a CRM, a ticket system, or the SQLite
/// queue in Journeys.Sqlite). It must be durable once <see cref="AddAsync"/> returns, safe from several threads, and
/// keep one task per <see cref="AgentTask.Id"/>: adding an id it has is not an error (the send was retried) and changes
/// nothing.</summary>
public interface IAgentTaskSink
{
    /// <summary>Records the task unless its id is there already.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was added, false when a task with its id was there already. A failure throws; the channel
    /// reports it as retryable.</returns>
    ValueTask<bool> AddAsync(AgentTask task, CancellationToken cancellationToken);
}
