using Journeys.Decisions;
using Journeys.State;
using Journeys.Timers;

namespace Journeys.Engine;

/// <summary>Journey versions (docs/operations.md, "Versions of journeys"): customers restored into a new version record
/// their move when the partition starts. Runs once per migrated customer, never on the per-event path.</summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>One timer at the engine's start for a restored customer with moves to record: it comes due before any
    /// input the engine receives, and before the moved customers' step timers.</summary>
    private void ScheduleMigrations(CustomerState customer)
    {
        if (_model.Migrations.Of(customer) is [var first, ..])
        {
            _timers.Schedule(new TimerEntry(first.AtTicks, customer, first.Journey, TimerKind.Migration, 0));
        }
    }

    private bool IsMigrating(CustomerState customer, int journey) =>
        _model.Migrations.Of(customer) is { } migrations && migrations.Exists(m => m.Journey == journey && !m.Exits);

    /// <summary>Records each move: <c>exited</c> (with the old version) when the new version has no step of that name,
    /// else <c>moved</c> to that step under the new version. The step's sends are not made again (the customer had
    /// arrived); its rules apply from now on: arrival transitions are checked at once, and its timer counts from the
    /// original arrival (at once when that is past).</summary>
    private void ApplyMigrations(CustomerState customer, long now)
    {
        if (_model.Migrations.Take(customer) is not { } migrations)
        {
            return;
        }

        foreach (var m in migrations)
        {
            var journey = _model.Journeys[m.Journey];
            if (m.Exits)
            {
                var removed = DecisionReason.StepRemoved(journey.Version, m.Step);
                _decisions.Emit(now, customer, journey, m.FromVersion, m.Step, DecisionKind.Exited, reason: removed);
                _pace.DropDeferred(customer, journey, now, removed);
                continue;
            }

            var at = customer.RunOf(m.Journey);
            while (at is { } candidate && candidate.Sequence != m.Sequence)
            {
                at = candidate.NextCase; // a journey with cases: the run that moved
            }

            if (at is not { } instance)
            {
                continue;
            }

            var step = journey.Steps[instance.Step];
            // The same version under a changed text, or an older version moved to the current one.
            var moved = m.FromVersion == journey.Version ? DecisionReason.VersionChanged(m.FromVersion) : DecisionReason.Migrated(m.FromVersion);
            _decisions.Emit(now, customer, journey, instance, step.Name, DecisionKind.Moved, reason: moved, from: step.Name);
            _interpreter.Resume(customer, journey, instance, step, now);
        }
    }
}
