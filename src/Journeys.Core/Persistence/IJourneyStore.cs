using Journeys.Language.Loading;

namespace Journeys.Persistence;

/// <summary>Where the engine keeps customers' state between restarts, the delivery outbox, and the journey versions it
/// runs. A store keeps opaque records — per customer an id, a format version and a payload (<see cref="CustomerRecord"/>),
/// per outbox message a key, a version and a payload (<see cref="OutboxRecord"/>) — and knows nothing of journeys,
/// instances, activity or caps: the engine encodes and decodes the payloads. A store for Redis, PostgreSQL or an actor
/// framework's storage keeps bytes under keys, and passes <c>StoreContractTests&lt;TStore&gt;</c> (Journeys.Testing).
/// <para>When it is called: once when the engine starts (<see cref="LoadJourneyVersionsAsync"/>,
/// <see cref="LoadCustomersAsync"/>, <see cref="LoadOutboxAsync"/>, then — once every check passed —
/// <see cref="SaveJourneyVersionsAsync"/>), then
/// after each batch of a partition's work (<see cref="SaveChangesAsync"/>: the customers the batch changed, the messages it
/// decided to send and the keys of messages whose delivery has ended, together) — per batch of events, never per
/// event. Partition workers call <see cref="SaveChangesAsync"/> concurrently, each for customers of its own: an
/// implementation must be thread-safe, and may await I/O (the worker awaits it without blocking a thread). The committed clock (<see cref="LoadCommittedClockAsync"/>) is read once at start and
/// written after each drain and at stop (<see cref="SaveCommittedClockAsync"/>).</para>
/// <para>Cancellation: every member takes a <see cref="CancellationToken"/>. A call cancelled before it took effect throws
/// <see cref="OperationCanceledException"/> and changes nothing; a save is all or nothing either way. The engine cancels
/// loading when its start is cancelled; it does not cancel a save it needs, so a store may finish one already begun.</para></summary>
public interface IJourneyStore
{
    /// <summary>Every stored customer, as saved last, each exactly once, in any order; read once when the engine starts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<CustomerRecord> LoadCustomersAsync(CancellationToken cancellationToken);

    /// <summary>The outbox: the messages saved batches added whose delivery was not recorded as ended, in the order they
    /// were first added; read once when the engine starts, which delivers them again with the same keys.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, in order.</returns>
    ValueTask<IReadOnlyList<OutboxRecord>> LoadOutboxAsync(CancellationToken cancellationToken);

    /// <summary>Persists one partition batch atomically — all of it is kept or none of it: the customers it changed since
    /// its last call (each replaces the record of its id), the outbox keys whose delivery has ended (removed; an unknown
    /// key is ignored), then the messages it decided to send (added to the outbox under their key; a key already there is
    /// replaced in its place in the order — the engine re-adds a message in flight to record a failed attempt).</summary>
    /// <param name="customers">The changed customers, at most one record per id.</param>
    /// <param name="outboxAdded">The messages to add or replace.</param>
    /// <param name="outboxDone">The keys of messages to remove, removed before <paramref name="outboxAdded"/> is added.</param>
    /// <param name="cancellationToken">Cancels the save before it took effect.</param>
    /// <returns>Completes when the batch is kept (with a durable store: on disk).</returns>
    ValueTask SaveChangesAsync(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<OutboxRecord> outboxAdded, IReadOnlyList<string> outboxDone,
        CancellationToken cancellationToken);

    /// <summary>The journey versions saved by the last <see cref="SaveJourneyVersionsAsync"/> call (none before the
    /// first); read once when the engine starts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The versions, in any order.</returns>
    ValueTask<IReadOnlyList<JourneyVersionSource>> LoadJourneyVersionsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored journey versions with <paramref name="versions"/> (at most one per journey id and
    /// version), atomically: the versions the engine starting now runs, the current ones and the older ones customers are
    /// still inside. Called once when the engine starts, after everything was read and checked, and before any customer is
    /// saved.</summary>
    /// <param name="versions">The versions to keep.</param>
    /// <param name="cancellationToken">Cancels the save before it took effect.</param>
    /// <returns>Completes when the versions are kept.</returns>
    ValueTask SaveJourneyVersionsAsync(IReadOnlyList<JourneyVersionSource> versions, CancellationToken cancellationToken);

    /// <summary>The ids of the journeys an operator paused (<c>JourneyEngine.PauseJourneyAsync</c>), as saved by the last
    /// <see cref="SavePausedJourneysAsync"/> call (none before the first); read once when the engine starts. The default,
    /// for a store that does not keep them, is none.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The journey ids, in any order.</returns>
    ValueTask<IReadOnlyList<string>> LoadPausedJourneysAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<string>>([]);
    }

    /// <summary>Replaces the stored ids of paused journeys with <paramref name="journeyIds"/>, atomically; called when an
    /// operator pauses or resumes a journey, before the engine applies it. The default, for a store that does not keep
    /// them, throws <see cref="NotSupportedException"/>: the engine then refuses the pause rather than lose it at the next
    /// start.</summary>
    /// <param name="journeyIds">Every journey paused from now on (distinct ids).</param>
    /// <param name="cancellationToken">Cancels the save before it took effect.</param>
    /// <returns>Completes when the ids are kept.</returns>
    /// <exception cref="NotSupportedException">The store does not keep paused journeys.</exception>
    ValueTask SavePausedJourneysAsync(IReadOnlyList<string> journeyIds, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not keep paused journeys (IJourneyStore.SavePausedJourneysAsync).");

    /// <summary>The engine's committed clock as saved by the last <see cref="SaveCommittedClockAsync"/> call, or null
    /// before the first; read once when the engine starts. <c>schedule:</c> occurrences that fell due after it and before
    /// the start are made up (docs/journey-language.md, Schedules). The default, for a store that does not keep it, is
    /// null: nothing is made up.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The clock, or null.</returns>
    ValueTask<DateTimeOffset?> LoadCommittedClockAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DateTimeOffset?>(null);
    }

    /// <summary>Replaces the stored committed clock with <paramref name="clock"/>: a time up to which every partition has
    /// applied and saved its inputs and timers (the engine calls it after a drain and at stop, each time with a later
    /// clock than the one it read or wrote before). The default, for a store that does not keep it, does nothing.</summary>
    /// <param name="clock">The committed clock.</param>
    /// <param name="cancellationToken">Cancels the save before it took effect.</param>
    /// <returns>Completes when the clock is kept.</returns>
    ValueTask SaveCommittedClockAsync(DateTimeOffset clock, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }
}
