using Journeys.Calendars;
using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Interpretation;
using Journeys.Language.Expressions;
using Journeys.State;

namespace Journeys.Timers;

/// <summary>A partition's <c>schedule:</c> entries, by time zone: the partition's customers grouped by their zone, and one
/// timer per schedule journey and zone for its next occurrence at that zone's local time (one for everyone for a one-off
/// instant), never one per customer. When a zone's occurrence comes, each customer of the zone who may enter and for whom
/// the guard holds is entered, and the zone's next occurrence is set. Occurrences are computed from the rule and the
/// clock, never stored: a restarted engine arms each zone's next occurrence after its start.</summary>
/// <remarks>The groups follow the customers lazily: a new customer or a change of zone is noted (a list append, a set
/// add) and applied when an occurrence next fires — by removing the movers from the lists of the zones they left, or,
/// when more than a quarter of the customers changed, by one pass over the partition's customers. So a million customers
/// identified between two occurrences cost one pass, not a million list removals.</remarks>
internal sealed class ScheduleGroups
{
    /// <summary>The token of a one-off instant's timer: its one group is every customer of the partition.</summary>
    private const long Everyone = -1;

    private const long NotArmed = 0;

    private readonly RuntimeModel _model;
    private readonly JourneyInterpreter _interpreter;
    private readonly EvaluationContext _ctx;
    private readonly JourneyTimers _timers;
    private readonly PartitionClock _clock;
    private readonly CustomerTable _customers;
    private const int PrefetchAhead = 4;              // see EnterGroup
    private readonly Action<CustomerState> _changed;
    private readonly CustomerState _anchor = new("", 0); // the customer of schedule timers: none (never in the table)
    private readonly int[] _journeys;                    // the schedule journeys' indices
    private readonly ScheduleRule[] _rules;              // their rules, by position in _journeys
    private readonly int[] _position;                    // a journey's position in _journeys, by journey index (-1: none)
    private long[][] _due;                               // by position, by zone number: the armed occurrence (0: none yet)
    private readonly long[] _dueOnce;                    // by position: a one-off instant's armed time (0: none yet)
    private List<CustomerState>?[] _byZone = new List<CustomerState>?[4];
    private int _indexed;                                // customers in _byZone's lists
    private readonly List<CustomerState> _new = [];
    private readonly HashSet<CustomerState> _moved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<int> _movedFrom = [];
    private readonly List<int> _unarmed = [];             // zones seen while the clock was not set yet

    /// <param name="model">The model; <see cref="RuntimeModel.ScheduleJourneys"/> names the journeys.</param>
    /// <param name="interpreter">Enters the customers.</param>
    /// <param name="ctx">The evaluation context guards read.</param>
    /// <param name="timers">The partition's timer stage, whose queue holds the occurrences' timers.</param>
    /// <param name="clock">The partition's clock: occurrences are armed after it.</param>
    /// <param name="customers">Every customer of the partition (read when the groups are rebuilt).</param>
    /// <param name="changed">Told of each customer an occurrence entered.</param>
    public ScheduleGroups(RuntimeModel model, JourneyInterpreter interpreter, EvaluationContext ctx, JourneyTimers timers, PartitionClock clock,
        CustomerTable customers, Action<CustomerState> changed)
    {
        (_model, _interpreter, _ctx, _timers, _clock, _customers, _changed) = (model, interpreter, ctx, timers, clock, customers, changed);
        _journeys = model.ScheduleJourneys;
        _rules = _journeys.Select(j => model.Journeys[j].Schedule!).ToArray();
        _position = Enumerable.Repeat(-1, model.Journeys.Length).ToArray();
        for (var p = 0; p < _journeys.Length; p++)
        {
            _position[_journeys[p]] = p;
        }

        _due = _journeys.Select(_ => new long[4]).ToArray();
        _dueOnce = new long[_journeys.Length];
    }

    /// <summary>The engine's committed clock as the store kept it (UTC ticks; 0: none): occurrences at or before it were
    /// entered before a restart, so none is armed at or before it, even while the partition's clock is still earlier (a
    /// host whose clock restarts at an origin and catches up).</summary>
    public long FloorTicks { get; set; }

    /// <summary>How many timers the groups have armed and not yet fired or replaced (for tests: one per journey and zone).</summary>
    public int ArmedTimers =>
        _due.Sum(zones => zones.Count(d => d != NotArmed && !CalendarTicks.IsNever(d))) + _dueOnce.Count(d => d != NotArmed && !CalendarTicks.IsNever(d));

    /// <summary>A customer the partition took on (first seen, or restored): it joins its zone's group.</summary>
    public void Added(CustomerState customer)
    {
        _new.Add(customer);
        Arm(customer.ZoneNumber);
    }

    /// <summary>A customer the partition let go of (forgotten, or merged into another id): it leaves every group at once,
    /// so no later occurrence enters it and nothing here keeps its state. Rare: a scan of the groups.</summary>
    public void Removed(CustomerState customer)
    {
        _new.RemoveAll(c => ReferenceEquals(c, customer));
        _moved.Remove(customer);
        foreach (var group in _byZone)
        {
            if (group is not null)
            {
                _indexed -= group.RemoveAll(c => ReferenceEquals(c, customer));
            }
        }
    }

    /// <summary>A customer's zone changed from zone number <paramref name="from"/>: it moves to its new zone's group.</summary>
    public void ZoneChanged(CustomerState customer, int from)
    {
        // A customer identified for the first time with a zone was just added: it joins its zone when the groups are next
        // rebuilt, so it is no mover (a million new customers would otherwise fill the set, a hash each, for nothing).
        if (_new.Count > 0 && ReferenceEquals(_new[^1], customer))
        {
            Arm(customer.ZoneNumber);
            return;
        }

        if (_moved.Add(customer))
        {
            _movedFrom.Add(from);
        }

        Arm(customer.ZoneNumber);
    }

    /// <summary>Arms the occurrences seen before the partition's clock was set (a restored partition), after the clock.</summary>
    public void ArmPending()
    {
        if (_unarmed.Count == 0 || _clock.Ticks == 0)
        {
            return;
        }

        var zones = _unarmed.ToArray();
        _unarmed.Clear();
        foreach (var zone in zones)
        {
            Arm(zone);
        }
    }

    // Arms, for each schedule journey, the next occurrence in the zone (and a one-off instant's one timer), unless armed.
    private void Arm(int zone)
    {
        if (_clock.Ticks == 0)
        {
            _unarmed.Add(zone); // no time yet to arm after: ArmPending does, once the partition has one
            return;
        }

        for (var p = 0; p < _journeys.Length; p++)
        {
            if (_rules[p].IsOneInstant)
            {
                if (_dueOnce[p] == NotArmed)
                {
                    ArmNext(p, Everyone, Math.Max(_clock.Ticks, FloorTicks));
                }

                continue;
            }

            if (zone >= _due[p].Length)
            {
                Array.Resize(ref _due[p], Math.Max(zone + 1, _due[p].Length * 2));
            }

            if (_due[p][zone] == NotArmed)
            {
                ArmNext(p, zone, Math.Max(_clock.Ticks, FloorTicks));
            }
        }
    }

    // Sets the occurrence of journey position p in zone (or everyone's) after `after`, and queues its timer.
    private void ArmNext(int p, long zone, long after)
    {
        var due = _rules[p].NextAfter(after, zone == Everyone ? TimeZoneInfo.Utc : ZoneOf((int)zone));
        if (zone == Everyone)
        {
            _dueOnce[p] = due;
        }
        else
        {
            _due[p][zone] = due;
        }

        _timers.Schedule(new TimerEntry(due, _anchor, _journeys[p], TimerKind.Schedule, zone)); // none past the calendar's end
    }

    private TimeZoneInfo ZoneOf(int zone) => _model.Customers.Zones[(ushort)zone];

    /// <summary>An occurrence's timer: enters the zone's customers (everyone's for a one-off instant) who may enter and for
    /// whom the guard holds, then arms the zone's next occurrence. A timer replaced since is ignored.</summary>
    public void Fire(TimerEntry entry)
    {
        var p = _position[entry.Journey];
        var zone = entry.Token;
        if (p < 0 || (zone == Everyone ? _dueOnce[p] : zone < _due[p].Length ? _due[p][zone] : NotArmed) != entry.DueTicks)
        {
            return;
        }

        Regroup();
        var now = entry.DueTicks;
        var journey = _model.Journeys[entry.Journey];
        if (zone == Everyone)
        {
            var reason = DecisionReason.Schedule(_rules[p].Instant);
            foreach (var group in _byZone)
            {
                EnterGroup(group, journey, now, now, reason);
            }
        }
        else
        {
            var tz = ZoneOf((int)zone);
            var utc = new DateTimeOffset(now, TimeSpan.Zero);
            var reason = DecisionReason.Schedule(utc.ToOffset(tz.GetUtcOffset(utc)));
            EnterGroup(zone < _byZone.Length ? _byZone[zone] : null, journey, now, now, reason);
        }

        ArmNext(p, zone, now);
    }

    // Enters, at `now`, the group's customers the occurrence at `occurrence` may enter (now is later for a made-up one).
    private int EnterGroup(List<CustomerState>? group, CompiledJourney journey, long now, long occurrence, DecisionReason reason)
    {
        if (group is null)
        {
            return 0;
        }

        var entered = 0;

        // Entering changes no group (a change of zone is applied at the next occurrence), so the list stays as it is.
        // The customers of a zone lie anywhere in memory, so each would cost a few cache misses one after the other: the
        // loop asks for the state object of the customer 2 * PrefetchAhead places ahead, and for what entering reads
        // (slot, traits) of the one PrefetchAhead places ahead, so that their loads overlap.
        var customers = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(group);
        for (var i = 0; i < customers.Length; i++)
        {
            if (i + (2 * PrefetchAhead) < customers.Length)
            {
                _customers.PrefetchResident(customers[i + (2 * PrefetchAhead)], objectOnly: true);
            }

            if (i + PrefetchAhead < customers.Length)
            {
                _customers.PrefetchResident(customers[i + PrefetchAhead], objectOnly: false);
            }

            var customer = customers[i];
            _ctx.Customer = customer;
            _ctx.NowTicks = now;
            _ctx.Event = null;
            if (_interpreter.EnterScheduled(customer, journey, now, reason, occurrence))
            {
                _changed(customer);
                entered++;
            }
        }

        return entered;
    }

    /// <summary>Makes up, at the partition's clock, the occurrences that fell due while no engine ran: per schedule journey
    /// and zone (once for a one-off instant), the latest occurrence after <paramref name="committedTicks"/> (the store's
    /// committed clock) and at or before the clock, unless it is more than <paramref name="boundTicks"/> before the clock;
    /// earlier ones collapse into it. Each customer of the zone who may enter and was not entered by that occurrence
    /// already (a save between the committed clock and the stop) is entered now, the decision's reason naming the
    /// occurrence. Called once, when the partition starts, after its customers were restored.</summary>
    /// <param name="committedTicks">The store's committed clock.</param>
    /// <param name="boundTicks">How old an occurrence may be and still be made up.</param>
    /// <param name="skipped">Journeys deployed while no engine ran: their occurrences are not made up (null: none).</param>
    /// <returns>How many customers were entered.</returns>
    public int MakeUp(long committedTicks, long boundTicks, IReadOnlySet<string>? skipped = null)
    {
        var now = _clock.Ticks;
        if (now <= committedTicks || boundTicks <= 0)
        {
            return 0;
        }

        Regroup();
        var from = Math.Max(committedTicks, now - boundTicks - 1); // an occurrence exactly boundTicks old is still made up
        var entered = 0;
        for (var p = 0; p < _journeys.Length; p++)
        {
            var journey = _model.Journeys[_journeys[p]];
            if (skipped is not null && skipped.Contains(journey.Id))
            {
                continue;
            }

            if (_rules[p].IsOneInstant)
            {
                if (Latest(_rules[p], from, now, TimeZoneInfo.Utc) is { } instant)
                {
                    var reason = DecisionReason.Schedule(_rules[p].Instant);
                    foreach (var group in _byZone)
                    {
                        entered += EnterGroup(group, journey, now, instant, reason);
                    }
                }

                continue;
            }

            for (var zone = 0; zone < _byZone.Length; zone++)
            {
                if (_byZone[zone] is not { Count: > 0 } group)
                {
                    continue;
                }

                var tz = ZoneOf(zone);
                if (Latest(_rules[p], from, now, tz) is { } occurrence)
                {
                    var utc = new DateTimeOffset(occurrence, TimeSpan.Zero);
                    entered += EnterGroup(group, journey, now, occurrence, DecisionReason.Schedule(utc.ToOffset(tz.GetUtcOffset(utc))));
                }
            }
        }

        return entered;
    }

    // The latest occurrence of the rule in (after, until] in the zone, or null.
    private static long? Latest(ScheduleRule rule, long after, long until, TimeZoneInfo zone)
    {
        long? latest = null;
        for (var next = rule.NextAfter(after, zone); !CalendarTicks.IsNever(next) && next <= until; next = rule.NextAfter(next, zone))
        {
            latest = next;
        }

        return latest;
    }

    // Applies the customers added and moved since the last occurrence to the groups.
    private void Regroup()
    {
        if (_new.Count == 0 && _moved.Count == 0)
        {
            return;
        }

        if ((long)(_new.Count + _moved.Count) * 4 > _indexed)
        {
            // Many changes: one pass over the partition's customers is cheaper than removing each mover. The customers
            // are copied out of the table's slots (no customer object read), then each one's zone is read with the
            // customer a few places ahead prefetched (each read is a cache miss, and they overlap), counted and kept,
            // so each group's list is allocated once at its size and filled without reading a customer again.
            var all = System.Buffers.ArrayPool<CustomerState>.Shared.Rent(_customers.Count);
            var zones = System.Buffers.ArrayPool<ushort>.Shared.Rent(_customers.Count);
            try
            {
                var n = _customers.CopyCustomersTo(all);
                var counts = new int[_byZone.Length];
                for (var i = 0; i < n; i++)
                {
                    if (i + (2 * PrefetchAhead) < n)
                    {
                        _customers.PrefetchResident(all[i + (2 * PrefetchAhead)], objectOnly: true);
                    }

                    var zone = all[i].ZoneNumber;
                    zones[i] = (ushort)zone;
                    if (zone >= counts.Length)
                    {
                        Array.Resize(ref counts, Math.Max(zone + 1, counts.Length * 2));
                    }

                    counts[zone]++;
                }

                if (counts.Length > _byZone.Length)
                {
                    Array.Resize(ref _byZone, counts.Length);
                }

                for (var zone = 0; zone < _byZone.Length; zone++)
                {
                    if (_byZone[zone] is { } group)
                    {
                        group.Clear();
                        group.EnsureCapacity(counts[zone]);
                    }
                    else if (counts[zone] > 0)
                    {
                        _byZone[zone] = new List<CustomerState>(counts[zone]);
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    _byZone[zones[i]]!.Add(all[i]);
                }

                _indexed = n;
            }
            finally
            {
                System.Buffers.ArrayPool<CustomerState>.Shared.Return(all, clearArray: true); // keeps no customer alive
                System.Buffers.ArrayPool<ushort>.Shared.Return(zones);
            }
        }
        else
        {
            foreach (var from in _movedFrom)
            {
                if (from < _byZone.Length && _byZone[from] is { } left)
                {
                    _indexed -= left.RemoveAll(_moved.Contains);
                }
            }

            foreach (var customer in _moved)
            {
                Join(customer);
            }

            foreach (var customer in _new)
            {
                if (!_moved.Contains(customer))
                {
                    Join(customer);
                }
            }
        }

        _new.Clear();
        _moved.Clear();
        _movedFrom.Clear();
    }

    private void Join(CustomerState customer)
    {
        var zone = customer.ZoneNumber;
        if (zone >= _byZone.Length)
        {
            Array.Resize(ref _byZone, Math.Max(zone + 1, _byZone.Length * 2));
        }

        (_byZone[zone] ??= []).Add(customer);
        _indexed++;
    }
}
