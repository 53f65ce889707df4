namespace Journeys.State;

/// <summary>A customer moved to a journey's new version at start (<c>versioning: migrate</c>), to be recorded as a decision
/// when the partition starts: <c>moved</c> to the step of the same name (<c>version 1 changed</c> when <see cref="FromVersion"/>
/// is the journey's, else <c>migrated from v1</c>), or <c>exited</c> when it is gone (<c>version 2 has no step 'x'</c>).</summary>
/// <param name="Journey">The index of the current version.</param>
/// <param name="FromVersion">The version the customer was inside.</param>
/// <param name="Sequence">The entry number (kept across the move).</param>
/// <param name="Step">The step's name.</param>
/// <param name="Exits">The new version has no such step: the customer leaves.</param>
/// <param name="AtTicks">When the migration is recorded: the engine's build time.</param>
internal sealed record Migration(int Journey, int FromVersion, int Sequence, string Step, bool Exits, long AtTicks);
