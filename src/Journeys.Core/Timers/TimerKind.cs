using Journeys.State;

namespace Journeys.Timers;

/// <summary>What a queued timer is for.</summary>
internal enum TimerKind : byte
{
    /// <summary>An <c>after</c> transition of the step a customer arrived at.</summary>
    Step,

    /// <summary>The check of an <c>inactive</c> entry.</summary>
    Inactivity,

    /// <summary>The next occurrence of a <c>date</c> entry.</summary>
    Date,

    /// <summary>A deferred send's retry (quiet hours ended or a cap frees a slot).</summary>
    Deferred,

    /// <summary>Recording the moves to new journey versions made when the customer was restored.</summary>
    Migration,

    /// <summary>A <c>schedule:</c> entry's occurrence in one time zone (see <see cref="ScheduleGroups"/>): its customer is
    /// no customer, its token the zone's number.</summary>
    Schedule,
}
