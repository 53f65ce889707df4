using Journeys.Compilation;
using Journeys.Inspection;
using Journeys.Persistence;
using Journeys.State;

namespace Journeys.Engine;

/// <summary>Converts between a partition's <see cref="CustomerState"/> and the store's <see cref="CustomerSnapshot"/>.</summary>
internal static class SnapshotMapper
{
    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? AtOrNull(long ticks) => ticks == 0 ? null : At(ticks);

    public static CustomerSnapshot ToSnapshot(CustomerState c, RuntimeModel model)
    {
        var instances = new List<InstanceSnapshot>();
        var memories = new List<JourneyMemorySnapshot>();
        for (var j = 0; j < model.Journeys.Length; j++)
        {
            var journey = model.Journeys[j];
            for (var at = c.RunOf(j); at is { } i; at = i.NextCase) // one run, or each open case
            {
                instances.Add(new InstanceSnapshot(journey.Id, i.Version, i.Sequence, journey.Steps[i.Step].Name, At(i.EnteredTicks), At(i.ArrivedTicks),
                    i.Converted) { Case = i.Case, Entry = i.EntryProperties });
            }

            var m = c.MemoryOf(j);
            if (journey.AcceptsEntries && (m.Entries > 0 || m.PendingEntryTicks != 0 || m.InactivityWaitsForActivity))
            {
                memories.Add(new JourneyMemorySnapshot(journey.Id, m.Entries, AtOrNull(m.LastEntryTicks),
                    journey.Entry == EntryKind.Date ? AtOrNull(m.PendingEntryTicks) : null,
                    journey.Entry == EntryKind.Inactive ? AtOrNull(m.PendingEntryTicks) : null, m.InactivityWaitsForActivity)
                {
                    Cases = c.Cases?.KeysOf(j).Select(k => new CaseKeySnapshot(k.Key, k.Entries, At(k.LastEntryTicks))).ToList() is { Count: > 0 } keys ? keys : Array.Empty<CaseKeySnapshot>(),
                });
            }
        }

        var activity = new List<ActivitySnapshot>();
        foreach (var slot in model.Catalog.Activity.Slots)
        {
            var times = c.Activity.Times(slot.Index).Select(At).ToList();
            var last = c.Activity.LastSeen(slot.Index);
            if (times.Count > 0 || last is not null)
            {
                activity.Add(new ActivitySnapshot(slot.EventType, times, last is { } l ? At(l) : null));
            }
        }

        var sums = new List<SumSnapshot>();
        foreach (var sum in model.Catalog.Activity.Sums)
        {
            var entries = c.Sums.Entries(sum.Index);
            if (entries.Count > 0)
            {
                sums.Add(new SumSnapshot(sum.EventType, sum.Property, entries.Select(x => (At(x.Ticks), x.Amount)).ToList()));
            }
        }

        var sends = c.SendLog.Entries().Select(e => new SentSnapshot(At(e.Ticks), model.ChannelNames[e.Channel], model.Journeys[e.Journey].Id)).ToList();
        var deferred = c.Deferred?.Select(d => new DeferredSnapshot(model.Journeys[d.Journey].Id, d.Version, d.Sequence,
            model.Journeys[d.Journey].Steps[d.Step].Name, d.SendIndex, At(d.DeferredAtTicks), At(d.RetryAtTicks), d.Reason) { Case = d.Case }).ToList() ?? [];

        return new CustomerSnapshot
        {
            Sends = sends,
            Deferred = deferred,
            Id = c.Id,
            TimeZone = c.TimeZoneIn(model.Customers).Id,
            FirstSeen = AtOrNull(c.FirstSeenTicks),
            Traits = c.Traits.ToDictionary(kv => kv.Key, kv => kv.Value.ToObject(), StringComparer.Ordinal),
            Instances = instances,
            Journeys = memories,
            Activity = activity,
            Sums = sums,
        };
    }

    /// <summary>Rebuilds a customer. An instance of a version the engine runs as it is stays there, at the step of the same
    /// name; any other instance moves to the current version's step of that name, or leaves when the step is gone, and
    /// the move is kept in <see cref="RuntimeModel.Migrations"/> to be recorded as a decision at
    /// <paramref name="migrateAtTicks"/>. Instances of journeys no longer loaded are dropped.</summary>
    public static CustomerState FromSnapshot(CustomerSnapshot s, VersionPlan plan, long migrateAtTicks)
    {
        var model = plan.Model;
        var c = new CustomerState(s.Id, model.Journeys.Length)
        {
            FirstSeenTicks = s.FirstSeen?.UtcTicks ?? 0,
        };
        c.SetTimeZone(model.Customers, TimeZones.Find(s.TimeZone));
        foreach (var (name, value) in s.Traits)
        {
            if (value is not null)
            {
                c.Traits[name] = Value.From(value);
            }
        }

        var byId = model.Journeys.Where(j => j.AcceptsEntries).ToDictionary(j => j.Id, StringComparer.Ordinal);
        CompiledJourney? AsIs(string id, int version) => plan.RunsAsIs(id, version);

        foreach (var i in s.Instances)
        {
            if (!byId.TryGetValue(i.JourneyId, out var current))
            {
                continue;
            }

            var journey = AsIs(i.JourneyId, i.Version);
            var step = (journey ?? current).Steps.FirstOrDefault(st => st.Name == i.Step);
            if (journey is null || step is null)
            {
                // A move to the current version: recorded when the partition starts.
                var target = journey ?? current;
                model.Migrations.Add(c, new Migration(target.Index, i.Version, i.Sequence, i.Step, step is null, migrateAtTicks));
                if (step is null)
                {
                    continue;
                }

                journey = current;
            }

            ref var runs = ref c.UpdateMemoryOf(journey.Index);
            JourneyInstance run;
            if (journey.KeepsEntry || i.Case is not null || i.Entry is not null)
            {
                var kept = new EnteredRun(journey.Version, i.Sequence, i.EnteredAt.UtcTicks)
                {
                    CaseKey = journey.CaseKey is null ? null : i.Case,
                    EntryProperties = i.Entry,
                };
                runs.Runs = journey.CaseKey is not null && i.Case is not null ? EnteredRun.Append(runs.Runs, kept) : kept;
                run = new JourneyInstance(kept);
            }
            else
            {
                run = c.StartInlineRun(journey.Index, journey.Version, i.Sequence, i.EnteredAt.UtcTicks); // inline, no object
            }

            (run.Step, run.ArrivedTicks, run.Arrival, run.Converted) = (step.Index, i.ArrivedAt.UtcTicks, 1, i.Converted);
        }

        foreach (var m in s.Journeys)
        {
            if (byId.TryGetValue(m.JourneyId, out var journey))
            {
                ref var memory = ref c.UpdateMemoryOf(journey.Index); // keeps the instance restored above
                memory.Entries = m.Entries;
                memory.LastEntryTicks = m.LastEntry?.UtcTicks ?? 0;
                memory.PendingEntryTicks = journey.Entry switch
                {
                    EntryKind.Date => m.NextDate?.UtcTicks ?? 0,
                    EntryKind.Inactive => m.InactivityDue?.UtcTicks ?? 0,
                    _ => 0,
                };
                memory.InactivityWaitsForActivity = m.InactivityWaitsForActivity;
                foreach (var k in m.Cases)
                {
                    (c.Cases ??= new CaseHistory()).Restore(journey.Index, k.Key, k.Entries, k.LastEntry.UtcTicks);
                }
            }
        }

        foreach (var a in s.Activity)
        {
            if (model.SlotByEvent.TryGetValue(a.EventType, out var slot))
            {
                c.Activity.Restore(model.ActivityWindows, slot, a.Times.Select(t => t.UtcTicks), a.LastSeen?.UtcTicks);
            }
        }

        foreach (var saved in s.Sums)
        {
            if (model.Catalog.Activity.Sums.FirstOrDefault(x => x.EventType == saved.EventType && x.Property == saved.Property) is { } sum)
            {
                c.Sums.Restore(model.SumWindows, sum.Index, saved.Entries.Select(x => (x.At.UtcTicks, x.Amount)));
            }
        }

        var keep = model.Catalog.Policy.Caps.Count == 0 ? 0 : model.Catalog.Policy.Caps.Max(cap => cap.Per.Ticks);
        foreach (var sent in s.Sends)
        {
            if (keep > 0 && model.ChannelIndex.TryGetValue(sent.Channel, out var channel) && byId.TryGetValue(sent.JourneyId, out var journey))
            {
                c.SendLog.Add(sent.At.UtcTicks, channel, journey.Index, keep);
            }
        }

        foreach (var d in s.Deferred)
        {
            if ((AsIs(d.JourneyId, d.Version) ?? byId.GetValueOrDefault(d.JourneyId)) is { } journey && journey.Steps.FirstOrDefault(st => st.Name == d.Step) is { } step &&
                d.SendIndex < step.Sends.Length)
            {
                c.AddDeferred(new DeferredSend(journey.Index, d.Version, d.Sequence, step.Index, d.SendIndex, d.DeferredAt.UtcTicks,
                    d.RetryAt.UtcTicks, d.Reason, d.Case));
            }
        }

        return c;
    }
}
