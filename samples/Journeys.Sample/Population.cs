using Journeys.State;

namespace Journeys.Sample;

/// <summary>Generates a reproducible customer population and its events over a period (the main sample: 39 weeks): new sign-ups, active
/// customers who interact and buy, customers drifting into dormancy, birthdays, feedback tickets. Seeded, so every run is
/// the same.</summary>
internal sealed class Population(int customers, DateTimeOffset start, int days, int seed = 42)
{
    private static readonly string[] Zones = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"];

    public enum Kind { New, Active, Occasional, Dormant }

    /// <summary>How far back the history before the start goes.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(151);

    /// <summary>First the existing customers' history (profiles, last logins and orders before the start), then each
    /// day's events; everything in time order, as a real feed delivers it.</summary>
    public IEnumerable<(DateTimeOffset At, CustomerProfile? Profile, CustomerEvent? Event)> Generate()
    {
        foreach (var input in Inputs())
        {
            yield return (input.At, input.Profile, input.Event);
        }
    }

    /// <summary>What <see cref="Generate"/> returns, as <see cref="Input"/> values: each day's inputs are kept in one
    /// reused buffer and sorted there by time (ties in the order made), each event made only when handed out, so a long
    /// run allocates little beyond the events themselves.</summary>
    public IEnumerable<Input> Inputs()
    {
        var random = new Random(seed);
        var ids = new string[customers];
        var kinds = new Kind[customers];
        var joined = new int[customers];
        var today = new Day(start - History);
        var newcomers = new Dictionary<int, List<CustomerProfile>>(); // new customers are identified the day they join
        var renewals = new Dictionary<int, List<int>>(); // members renewing, by day
        for (var i = 0; i < customers; i++)
        {
            ids[i] = Id(i);
            var roll = random.NextDouble();
            kinds[i] = roll < 0.30 ? Kind.New : roll < 0.55 ? Kind.Active : roll < 0.80 ? Kind.Occasional : Kind.Dormant;
            joined[i] = kinds[i] == Kind.New ? random.Next(days - 14) : -1;
            var id = ids[i];
            var spend = kinds[i] switch
            {
                Kind.Active => Math.Round(500 + (random.NextDouble() * random.NextDouble() * 12000)),
                Kind.Occasional => Math.Round(random.NextDouble() * 1500),
                Kind.Dormant => Math.Round(random.NextDouble() * 800),
                _ => 0,
            };
            var birthday = new DateOnly(1960 + random.Next(45), 1 + random.Next(12), 1 + random.Next(28));
            var traits = new Dictionary<string, object?>
            {
                ["firstName"] = FirstNames[random.Next(FirstNames.Length)],
                ["country"] = random.NextDouble() < 0.01 ? "test" : "cn",
                ["spend12m"] = spend,
                ["orders180d"] = kinds[i] == Kind.Active ? random.Next(1, 12) : 0,
                ["birthday"] = birthday.ToString("yyyy-MM-dd"),
            };
            if (random.NextDouble() < 0.1)
            {
                traits["pushOptIn"] = false; // these get SMS instead of push where a journey offers both
            }

            if (kinds[i] != Kind.New && random.NextDouble() < 0.3)
            {
                var ends = random.Next(days);
                traits["serviceEndsAt"] = start.AddDays(ends).AddHours(12); // a membership ending during the run
                if (random.NextDouble() < 0.4 && ends >= 6)
                {
                    // Two in five renew in the last week, after the reminder: the renewal journey's goal.
                    var on = ends - 1 - random.Next(5);
                    (renewals.TryGetValue(on, out var list) ? list : renewals[on] = []).Add(i);
                }
            }

            var profile = new CustomerProfile(id, traits, Zones[random.Next(Zones.Length)]);
            if (kinds[i] == Kind.New)
            {
                (newcomers.TryGetValue(joined[i], out var list) ? list : newcomers[joined[i]] = []).Add(profile);
            }
            else
            {
                var known = start - History;
                today.Add(new Input(known, profile with { Timestamp = known }, null));
            }

            if (kinds[i] == Kind.Dormant)
            {
                // Last seen 20 to 85 days before the run: they cross 90 days of silence during it.
                var last = start.AddDays(-20 - random.Next(66)).AddHours(random.Next(24));
                today.Add(last, i, Login);
            }
            else if (kinds[i] is Kind.Active or Kind.Occasional)
            {
                var lastOrder = start.AddDays(-random.Next(150)).AddHours(random.Next(24));
                today.Add(lastOrder, i, Order, 80.0);
                var lastLogin = start.AddDays(-random.Next(1, 30)).AddHours(random.Next(24));
                today.Add(lastLogin, i, Login);
            }
        }

        today.Sort();
        for (var n = 0; n < today.Count; n++)
        {
            yield return today.Make(n, ids);
        }

        // Feedback tickets come from a random source of their own, so adding them left every other event as it was.
        var tickets = new Random(seed + 1);
        var later = new Dictionary<int, List<Input>>(); // ticket follow-ups, by day
        for (var day = 0; day < days; day++)
        {
            today.Clear();
            var midnight = start.AddDays(day);
            foreach (var profile in newcomers.GetValueOrDefault(day) ?? [])
            {
                var at = midnight.AddHours(6);
                today.Add(new Input(at, profile with { Timestamp = at }, null));
            }

            if (later.Remove(day, out var followUps))
            {
                foreach (var item in followUps)
                {
                    today.Add(item);
                }
            }

            for (var i = 0; i < customers; i++)
            {
                if (kinds[i] != Kind.Dormant && tickets.NextDouble() < 0.003)
                {
                    foreach (var item in Ticket(ids[i], midnight.AddHours(8 + tickets.Next(12)).AddMinutes(tickets.Next(60)), tickets))
                    {
                        var on = (int)(item.At - start).TotalDays;
                        if (on == day)
                        {
                            today.Add(item);
                        }
                        else if (on < days)
                        {
                            (later.TryGetValue(on, out var list) ? list : later[on] = []).Add(item);
                        }
                    }
                }
            }

            foreach (var i in renewals.GetValueOrDefault(day) ?? [])
            {
                var at = midnight.AddHours(9 + random.Next(12)).AddMinutes(random.Next(60));
                today.Add(at, i, Renewed);
            }

            for (var i = 0; i < customers; i++)
            {
                AddEventsOf(today, i, kinds[i], joined[i], day, midnight, random);
            }

            today.Sort();
            for (var n = 0; n < today.Count; n++)
            {
                yield return today.Make(n, ids);
            }
        }
    }

    /// <summary>One input: a profile (identify) or an event, at its time.</summary>
    public readonly record struct Input(DateTimeOffset At, CustomerProfile? Profile, CustomerEvent? Event);

    // The generated event types: an event is kept as its customer's index, its type's index and (orders) its amount,
    // and made into a CustomerEvent only when it is handed out (see Day).
    private const int SignedUp = 0, AppOpen = 1, Login = 2, Consult = 3, Order = 4, Interaction = 5, Unsubscribed = 6, PageView = 7, Renewed = 8;
    private static readonly string[] Types =
        ["signed_up", "app_open", "login", "consult_completed", "order_completed", "interaction", "unsubscribed", "page_view", "membership_renewed"];

    /// <summary>A day's inputs, in buffers reused day after day, handed out in time order (a tie in the order added). A
    /// generated event is kept as plain values (no reference: nothing for the garbage collector to trace or copy) and
    /// made into its <see cref="CustomerEvent"/> by <see cref="Make"/> when the feed hands it out, so it is fresh in the
    /// cache when the engine routes it and dies young once applied. (Before, a day's 26,000 events were made up front
    /// and lived until their turn.) Profiles and ticket events, a few a day, are kept as made.</summary>
    internal sealed class Day(DateTimeOffset origin)
    {
        private const int MaxMinutes = 1 << 18; // a counting sort over more minutes than this (182 days) sorts by comparison
        private Entry[] _entries = new Entry[1 << 16];
        private Entry[] _sorted = new Entry[1 << 16];
        private long[] _minutes = new long[1 << 16];
        private int[] _starts = new int[(24 * 60) + 1];
        private readonly List<Input> _made = [];

        public int Count { get; private set; }

        /// <summary>An input made elsewhere (a profile, a ticket's event).</summary>
        public void Add(Input item)
        {
            _made.Add(item);
            Add(new Entry(item.At, _made.Count - 1, -1, 0));
        }

        /// <summary>A generated event: <paramref name="customer"/>'s index, <paramref name="type"/> one of the constants
        /// above, <paramref name="amount"/> an order's.</summary>
        public void Add(DateTimeOffset at, int customer, int type, double amount = 0) => Add(new Entry(at, customer, type, amount));

        private void Add(in Entry entry)
        {
            if (Count == _entries.Length)
            {
                Array.Resize(ref _entries, Count * 2);
                Array.Resize(ref _minutes, Count * 2);
                _sorted = new Entry[Count * 2];
            }

            _minutes[Count] = (entry.At.UtcTicks - origin.UtcTicks) / TimeSpan.TicksPerMinute;
            _entries[Count++] = entry;
        }

        public void Clear()
        {
            _made.Clear();
            Count = 0;
        }

        /// <summary>Puts the entries in time order, a tie in the order added: the same order every run. A day's entries
        /// fall within 1,440 minutes, so this is a counting sort by minute (stable, one pass to count and one to place;
        /// it replaced Array.Sort of unique keys, minute then position, which gives the same order in n log n).</summary>
        public void Sort()
        {
            if (Count == 0)
            {
                return;
            }

            var minutes = _minutes.AsSpan(0, Count);
            long first = long.MaxValue, last = long.MinValue;
            foreach (var m in minutes)
            {
                first = Math.Min(first, m);
                last = Math.Max(last, m);
            }

            if (last - first >= MaxMinutes)
            {
                var keys = new long[Count];
                for (var i = 0; i < Count; i++)
                {
                    keys[i] = (minutes[i] << 24) | (uint)i; // unique keys: a tie keeps the order it was added in
                }

                Array.Sort(keys, _entries, 0, Count);
                return;
            }

            var width = (int)(last - first) + 1;
            if (_starts.Length < width + 1)
            {
                _starts = new int[width + 1];
            }

            var starts = _starts.AsSpan(0, width + 1);
            starts.Clear();
            foreach (var m in minutes)
            {
                starts[(int)(m - first) + 1]++;
            }

            for (var b = 1; b < starts.Length; b++)
            {
                starts[b] += starts[b - 1]; // where each minute's entries begin
            }

            for (var i = 0; i < Count; i++)
            {
                _sorted[starts[(int)(minutes[i] - first)]++] = _entries[i];
            }

            (_entries, _sorted) = (_sorted, _entries);
        }

        /// <summary>The <paramref name="n"/>th input in time order (after <see cref="Sort"/>).</summary>
        public Input Make(int n, string[] ids)
        {
            ref readonly var e = ref _entries[n];
            if (e.Type < 0)
            {
                return _made[e.Index];
            }

            var properties = e.Type == Order ? new Dictionary<string, object?>(1) { ["amount"] = e.Amount } : null;
            return new Input(e.At, null, new CustomerEvent(ids[e.Index], Types[e.Type], e.At, properties));
        }

        /// <summary>An input as kept: a customer's index and an event type, or (type -1) the index of a made input.</summary>
        private readonly record struct Entry(DateTimeOffset At, int Index, int Type, double Amount);
    }

    public static string Id(int i) => $"c{i:D6}";

    /// <summary>A feedback ticket (the <c>feedback</c> journey, one run per ticketId): mostly complaints and suggestions,
    /// most answered within two days and resolved within two weeks, some late or never.</summary>
    private static IEnumerable<Input> Ticket(string customer, DateTimeOffset at, Random random)
    {
        var id = $"T-{customer}-{at:MMddHHmm}";
        var kind = random.NextDouble() switch { < 0.55 => "complaint", < 0.9 => "suggestion", _ => "praise" };
        yield return new(at, null, new CustomerEvent(customer, "feedback_submitted", at,
            new Dictionary<string, object?> { ["ticketId"] = id, ["kind"] = kind, ["text"] = kind == "complaint" ? "Late delivery" : "Open on Sundays" }));
        var answered = at.AddHours(random.NextDouble() < 0.8 ? 2 + random.Next(40) : 50 + random.Next(60));
        yield return new(answered, null, new CustomerEvent(customer, "feedback_answered", answered, new Dictionary<string, object?> { ["ticketId"] = id }));
        if (random.NextDouble() < 0.9)
        {
            var resolved = answered.AddHours(12 + random.Next(24 * 14));
            yield return new(resolved, null, new CustomerEvent(customer, "feedback_resolved", resolved,
                new Dictionary<string, object?> { ["ticketId"] = id, ["outcome"] = "We fixed it." }));
        }
    }

    /// <summary>Adds a customer's events of the day to <paramref name="today"/>: each at an hour between 07:00 and 21:59.</summary>
    private static void AddEventsOf(Day today, int customer, Kind kind, int joinedDay, int day, DateTimeOffset midnight, Random random)
    {
        void Add(int type)
        {
            var at = midnight.AddMinutes((60 * (7 + random.Next(15))) + random.Next(60));
            today.Add(at, customer, type, type == Order ? Math.Round(20 + random.NextDouble() * 300) : 0);
        }

        switch (kind)
        {
            case Kind.New when day == joinedDay:
                Add(SignedUp);
                break;
            case Kind.New when day > joinedDay:
                var age = day - joinedDay;
                if (random.NextDouble() < (age < 14 ? 0.35 : 0.12))
                {
                    Add(AppOpen);
                }

                if (random.NextDouble() < 0.15)
                {
                    Add(Login);
                }

                if (age is > 7 and < 28 && random.NextDouble() < 0.05)
                {
                    Add(Consult);
                }

                if (random.NextDouble() < 0.012)
                {
                    Add(Order);
                }

                break;
            case Kind.Active:
                if (random.NextDouble() < 0.5)
                {
                    Add(AppOpen);
                }

                if (random.NextDouble() < 0.12)
                {
                    Add(Interaction);
                }

                if (random.NextDouble() < 0.03)
                {
                    Add(Order);
                }

                if (random.NextDouble() < 0.2)
                {
                    Add(Login);
                }

                break;
            case Kind.Occasional:
                if (random.NextDouble() < 0.08)
                {
                    Add(AppOpen);
                }

                if (random.NextDouble() < 0.02)
                {
                    Add(Interaction);
                }

                if (random.NextDouble() < 0.05)
                {
                    Add(Login);
                }

                break;
            case Kind.Dormant:
                if (random.NextDouble() < 0.002)
                {
                    Add(Login);
                }

                if (random.NextDouble() < 0.001)
                {
                    Add(Order);
                }

                break;
        }

        if (random.NextDouble() < 0.0004)
        {
            Add(Unsubscribed);
        }

        // Page views and the like: most traffic touches no journey at all.
        var noise = random.Next(3);
        for (var n = 0; n < noise; n++)
        {
            Add(PageView);
        }
    }

    private static readonly string[] FirstNames = ["Li", "Wei", "Anna", "Jonas", "Maria", "James", "Mei", "Yusuf", "Sofia", "Chen"];
}
