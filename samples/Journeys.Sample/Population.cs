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

    /// <summary>What <see cref="Generate"/> returns, as <see cref="Input"/> values: each day's inputs are made into one
    /// reused buffer and sorted there by time (keys and items side by side, ties in the order made), so a long run
    /// allocates little beyond the events themselves.</summary>
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
                today.Add(new Input(last, null, new CustomerEvent(id, "login", last)));
            }
            else if (kinds[i] is Kind.Active or Kind.Occasional)
            {
                var lastOrder = start.AddDays(-random.Next(150)).AddHours(random.Next(24));
                today.Add(new Input(lastOrder, null, new CustomerEvent(id, "order_completed", lastOrder, new Dictionary<string, object?> { ["amount"] = 80.0 })));
                var lastLogin = start.AddDays(-random.Next(1, 30)).AddHours(random.Next(24));
                today.Add(new Input(lastLogin, null, new CustomerEvent(id, "login", lastLogin)));
            }
        }

        foreach (var item in today.Sorted())
        {
            yield return item;
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
                today.Add(new Input(at, null, new CustomerEvent(ids[i], "membership_renewed", at)));
            }

            for (var i = 0; i < customers; i++)
            {
                AddEventsOf(today, ids[i], kinds[i], joined[i], day, midnight, random);
            }

            foreach (var item in today.Sorted())
            {
                yield return item;
            }
        }
    }

    /// <summary>One input: a profile (identify) or an event, at its time.</summary>
    public readonly record struct Input(DateTimeOffset At, CustomerProfile? Profile, CustomerEvent? Event);

    /// <summary>A day's inputs, in buffers reused day after day, handed out in time order (a tie in the order added).
    /// The events are made when generated, as a feed would hold them. (Made only when handed out instead, they die
    /// younger, but the collector then sizes its young generation smaller and collects several times as often,
    /// and each collection scans the engine's state: the whole run took more CPU. See docs/performance.md, "The main
    /// sample".)</summary>
    internal sealed class Day(DateTimeOffset origin)
    {
        private const int MaxMinutes = 1 << 18; // a counting sort over more minutes than this (182 days) sorts by comparison
        private Input[] _items = new Input[1 << 16];
        private Input[] _sorted = new Input[1 << 16];
        private long[] _minutes = new long[1 << 16];
        private int[] _starts = new int[(24 * 60) + 1];
        private int _count;

        public int Count => _count;

        public void Add(Input item)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, _count * 2);
                Array.Resize(ref _minutes, _count * 2);
                _sorted = new Input[_count * 2];
            }

            _minutes[_count] = (item.At.UtcTicks - origin.UtcTicks) / TimeSpan.TicksPerMinute;
            _items[_count++] = item;
        }

        public void Clear()
        {
            _items.AsSpan(0, _count).Clear();
            _sorted.AsSpan(0, _count).Clear();
            _count = 0;
        }

        /// <summary>The items in time order, a tie in the order added (the same order every run); valid until the next
        /// <see cref="Add"/> or <see cref="Clear"/>. A day's inputs fall within 1,440 minutes, so this is a counting sort
        /// by minute: stable, one pass to count and one to place. (It replaced Array.Sort of unique keys, minute then
        /// position, which gives the same order in n log n.)</summary>
        public ArraySegment<Input> Sorted()
        {
            if (_count == 0)
            {
                return new ArraySegment<Input>(_items, 0, 0);
            }

            var minutes = _minutes.AsSpan(0, _count);
            long first = long.MaxValue, last = long.MinValue;
            foreach (var m in minutes)
            {
                first = Math.Min(first, m);
                last = Math.Max(last, m);
            }

            if (last - first >= MaxMinutes)
            {
                var keys = new long[_count];
                for (var i = 0; i < _count; i++)
                {
                    keys[i] = (minutes[i] << 24) | (uint)i; // unique keys: a tie keeps the order it was added in
                }

                Array.Sort(keys, _items, 0, _count);
                return new ArraySegment<Input>(_items, 0, _count);
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
                starts[b] += starts[b - 1]; // where each minute's inputs begin
            }

            for (var i = 0; i < _count; i++)
            {
                _sorted[starts[(int)(minutes[i] - first)]++] = _items[i];
            }

            (_items, _sorted) = (_sorted, _items);
            return new ArraySegment<Input>(_items, 0, _count);
        }
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
    private static void AddEventsOf(Day today, string id, Kind kind, int joinedDay, int day, DateTimeOffset midnight, Random random)
    {
        void Add(string type)
        {
            var at = midnight.AddMinutes((60 * (7 + random.Next(15))) + random.Next(60));
            today.Add(new Input(at, null, new CustomerEvent(id, type, at, type == "order_completed"
                ? new Dictionary<string, object?> { ["amount"] = Math.Round(20 + random.NextDouble() * 300) }
                : null)));
        }

        switch (kind)
        {
            case Kind.New when day == joinedDay:
                Add("signed_up");
                break;
            case Kind.New when day > joinedDay:
                var age = day - joinedDay;
                if (random.NextDouble() < (age < 14 ? 0.35 : 0.12))
                {
                    Add("app_open");
                }

                if (random.NextDouble() < 0.15)
                {
                    Add("login");
                }

                if (age is > 7 and < 28 && random.NextDouble() < 0.05)
                {
                    Add("consult_completed");
                }

                if (random.NextDouble() < 0.012)
                {
                    Add("order_completed");
                }

                break;
            case Kind.Active:
                if (random.NextDouble() < 0.5)
                {
                    Add("app_open");
                }

                if (random.NextDouble() < 0.12)
                {
                    Add("interaction");
                }

                if (random.NextDouble() < 0.03)
                {
                    Add("order_completed");
                }

                if (random.NextDouble() < 0.2)
                {
                    Add("login");
                }

                break;
            case Kind.Occasional:
                if (random.NextDouble() < 0.08)
                {
                    Add("app_open");
                }

                if (random.NextDouble() < 0.02)
                {
                    Add("interaction");
                }

                if (random.NextDouble() < 0.05)
                {
                    Add("login");
                }

                break;
            case Kind.Dormant:
                if (random.NextDouble() < 0.002)
                {
                    Add("login");
                }

                if (random.NextDouble() < 0.001)
                {
                    Add("order_completed");
                }

                break;
        }

        if (random.NextDouble() < 0.0004)
        {
            Add("unsubscribed");
        }

        // Page views and the like: most traffic touches no journey at all.
        var noise = random.Next(3);
        for (var n = 0; n < noise; n++)
        {
            Add("page_view");
        }
    }

    private static readonly string[] FirstNames = ["Li", "Wei", "Anna", "Jonas", "Maria", "James", "Mei", "Yusuf", "Sofia", "Chen"];
}
