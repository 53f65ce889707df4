using Journeys.Expressions;
using Journeys.Persistence;

namespace Journeys.Runtime;

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
            if (c.Instances[j] is { } i)
            {
                instances.Add(new InstanceSnapshot(journey.Id, i.Version, i.Sequence, journey.Steps[i.Step].Name, At(i.EnteredTicks), At(i.ArrivedTicks),
                    i.Converted));
            }

            var m = c.Memory[j];
            if (m.Entries > 0 || m.NextDateTicks != 0 || m.InactivityDueTicks != 0 || m.InactivityWaitsForActivity)
            {
                memories.Add(new JourneyMemorySnapshot(journey.Id, m.Entries, AtOrNull(m.LastEntryTicks), AtOrNull(m.NextDateTicks),
                    AtOrNull(m.InactivityDueTicks), m.InactivityWaitsForActivity));
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

        var sends = c.SendLog?.Entries().Select(e => new SentSnapshot(At(e.Ticks), model.ChannelNames[e.Channel], model.Journeys[e.Journey].Id)).ToList() ?? [];
        var deferred = c.Deferred?.Select(d => new DeferredSnapshot(model.Journeys[d.Journey].Id, d.Version, d.Sequence,
            model.Journeys[d.Journey].Steps[d.Step].Name, d.SendIndex, At(d.DeferredAtTicks), At(d.RetryAtTicks), d.Reason)).ToList() ?? [];

        return new CustomerSnapshot
        {
            Sends = sends,
            Deferred = deferred,
            Id = c.Id,
            TimeZone = c.TimeZone.Id,
            FirstSeen = AtOrNull(c.FirstSeenTicks),
            Traits = c.Traits.ToDictionary(kv => kv.Key, kv => kv.Value.ToObject(), StringComparer.Ordinal),
            Instances = instances,
            Journeys = memories,
            Activity = activity,
        };
    }

    /// <summary>Rebuilds a customer. Instances of journeys no longer loaded, or at steps that no longer exist, are dropped
    /// (journey versioning rules decide more precisely; see docs/embedding.md).</summary>
    public static CustomerState FromSnapshot(CustomerSnapshot s, RuntimeModel model)
    {
        var c = new CustomerState(s.Id, model.ActivityWindows, model.Journeys.Length)
        {
            TimeZone = TimeZones.Find(s.TimeZone),
            FirstSeenTicks = s.FirstSeen?.UtcTicks ?? 0,
        };
        foreach (var (name, value) in s.Traits)
        {
            if (value is not null)
            {
                c.Traits[name] = Value.From(value);
            }
        }

        var byId = model.Journeys.ToDictionary(j => j.Id, StringComparer.Ordinal);
        foreach (var i in s.Instances)
        {
            if (byId.TryGetValue(i.JourneyId, out var journey) && journey.Steps.FirstOrDefault(st => st.Name == i.Step) is { } step)
            {
                c.Instances[journey.Index] = new JourneyInstance
                {
                    JourneyIndex = journey.Index,
                    Version = i.Version,
                    Sequence = i.Sequence,
                    EnteredTicks = i.EnteredAt.UtcTicks,
                    Step = step.Index,
                    ArrivedTicks = i.ArrivedAt.UtcTicks,
                    Arrival = 1,
                    Converted = i.Converted,
                };
            }
        }

        foreach (var m in s.Journeys)
        {
            if (byId.TryGetValue(m.JourneyId, out var journey))
            {
                c.Memory[journey.Index] = new JourneyMemory
                {
                    Entries = m.Entries,
                    LastEntryTicks = m.LastEntry?.UtcTicks ?? 0,
                    NextDateTicks = m.NextDate?.UtcTicks ?? 0,
                    InactivityDueTicks = m.InactivityDue?.UtcTicks ?? 0,
                    InactivityWaitsForActivity = m.InactivityWaitsForActivity,
                };
            }
        }

        foreach (var a in s.Activity)
        {
            if (model.SlotByEvent.TryGetValue(a.EventType, out var slot))
            {
                c.Activity.Restore(slot, a.Times.Select(t => t.UtcTicks), a.LastSeen?.UtcTicks);
            }
        }

        var keep = model.Catalog.Policy.Caps.Count == 0 ? 0 : model.Catalog.Policy.Caps.Max(cap => cap.Per.Ticks);
        foreach (var sent in s.Sends)
        {
            if (keep > 0 && model.ChannelIndex.TryGetValue(sent.Channel, out var channel) && byId.TryGetValue(sent.JourneyId, out var journey))
            {
                (c.SendLog ??= new Policy.SendLog()).Add(sent.At.UtcTicks, channel, journey.Index, keep);
            }
        }

        foreach (var d in s.Deferred)
        {
            if (byId.TryGetValue(d.JourneyId, out var journey) && journey.Steps.FirstOrDefault(st => st.Name == d.Step) is { } step &&
                d.SendIndex < step.Sends.Length)
            {
                (c.Deferred ??= []).Add(new DeferredSend(journey.Index, d.Version, d.Sequence, step.Index, d.SendIndex, d.DeferredAt.UtcTicks)
                {
                    RetryAtTicks = d.RetryAt.UtcTicks,
                    Reason = d.Reason,
                });
            }
        }

        c.TraitsVersion = 1;
        return c;
    }
}
