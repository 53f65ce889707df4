using Journeys.State;

namespace Journeys.Sample;

/// <summary>Generates a reproducible customer population and three months of their events: new sign-ups, active
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
        var random = new Random(seed);
        var kinds = new Kind[customers];
        var joined = new int[customers];
        var backlog = new List<(DateTimeOffset, CustomerProfile?, CustomerEvent?)>();
        var newcomers = new Dictionary<int, List<CustomerProfile>>(); // new customers are identified the day they join
        for (var i = 0; i < customers; i++)
        {
            var roll = random.NextDouble();
            kinds[i] = roll < 0.30 ? Kind.New : roll < 0.55 ? Kind.Active : roll < 0.80 ? Kind.Occasional : Kind.Dormant;
            joined[i] = kinds[i] == Kind.New ? random.Next(days - 14) : -1;
            var id = Id(i);
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
                traits["serviceEndsAt"] = start.AddDays(random.Next(days)).AddHours(12); // a membership ending during the run
            }

            var profile = new CustomerProfile(id, traits, Zones[random.Next(Zones.Length)]);
            if (kinds[i] == Kind.New)
            {
                (newcomers.TryGetValue(joined[i], out var list) ? list : newcomers[joined[i]] = []).Add(profile);
            }
            else
            {
                var known = start - History;
                backlog.Add((known, profile with { Timestamp = known }, null));
            }

            if (kinds[i] == Kind.Dormant)
            {
                // Last seen 20 to 85 days before the run: they cross 90 days of silence during it.
                var last = start.AddDays(-20 - random.Next(66)).AddHours(random.Next(24));
                backlog.Add((last, null, new CustomerEvent(id, "login", last)));
            }
            else if (kinds[i] is Kind.Active or Kind.Occasional)
            {
                var lastOrder = start.AddDays(-random.Next(150)).AddHours(random.Next(24));
                backlog.Add((lastOrder, null, new CustomerEvent(id, "order_completed", lastOrder, new Dictionary<string, object?> { ["amount"] = 80.0 })));
                var lastLogin = start.AddDays(-random.Next(1, 30)).AddHours(random.Next(24));
                backlog.Add((lastLogin, null, new CustomerEvent(id, "login", lastLogin)));
            }
        }

        foreach (var item in backlog.OrderBy(b => b.Item1))
        {
            yield return item;
        }

        // Feedback tickets come from a random source of their own, so adding them left every other event as it was.
        var tickets = new Random(seed + 1);
        var later = new Dictionary<int, List<(DateTimeOffset, CustomerProfile?, CustomerEvent?)>>(); // ticket follow-ups, by day
        for (var day = 0; day < days; day++)
        {
            var today = new List<(DateTimeOffset, CustomerProfile?, CustomerEvent?)>();
            foreach (var profile in newcomers.GetValueOrDefault(day) ?? [])
            {
                var at = start.AddDays(day).AddHours(6);
                today.Add((at, profile with { Timestamp = at }, null));
            }

            today.AddRange(later.GetValueOrDefault(day) ?? []);
            for (var i = 0; i < customers; i++)
            {
                if (kinds[i] != Kind.Dormant && tickets.NextDouble() < 0.003)
                {
                    foreach (var item in Ticket(Id(i), start.AddDays(day).AddHours(8 + tickets.Next(12)).AddMinutes(tickets.Next(60)), tickets))
                    {
                        var on = (int)(item.Item1 - start).TotalDays;
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

            for (var i = 0; i < customers; i++)
            {
                foreach (var (hour, type) in EventsOf(kinds[i], joined[i], day, random))
                {
                    var at = start.AddDays(day).AddHours(hour).AddMinutes(random.Next(60));
                    today.Add((at, null, new CustomerEvent(Id(i), type, at, type == "order_completed"
                        ? new Dictionary<string, object?> { ["amount"] = Math.Round(20 + random.NextDouble() * 300) }
                        : null)));
                }
            }

            foreach (var item in today.OrderBy(t => t.Item1))
            {
                yield return item;
            }
        }
    }

    public static string Id(int i) => $"c{i:D6}";

    /// <summary>A feedback ticket (the <c>feedback</c> journey, one run per ticketId): mostly complaints and suggestions,
    /// most answered within two days and resolved within two weeks, some late or never.</summary>
    private static IEnumerable<(DateTimeOffset, CustomerProfile?, CustomerEvent?)> Ticket(string customer, DateTimeOffset at, Random random)
    {
        var id = $"T-{customer}-{at:MMddHHmm}";
        var kind = random.NextDouble() switch { < 0.55 => "complaint", < 0.9 => "suggestion", _ => "praise" };
        yield return (at, null, new CustomerEvent(customer, "feedback_submitted", at,
            new Dictionary<string, object?> { ["ticketId"] = id, ["kind"] = kind, ["text"] = kind == "complaint" ? "Late delivery" : "Open on Sundays" }));
        var answered = at.AddHours(random.NextDouble() < 0.8 ? 2 + random.Next(40) : 50 + random.Next(60));
        yield return (answered, null, new CustomerEvent(customer, "feedback_answered", answered, new Dictionary<string, object?> { ["ticketId"] = id }));
        if (random.NextDouble() < 0.9)
        {
            var resolved = answered.AddHours(12 + random.Next(24 * 14));
            yield return (resolved, null, new CustomerEvent(customer, "feedback_resolved", resolved,
                new Dictionary<string, object?> { ["ticketId"] = id, ["outcome"] = "We fixed it." }));
        }
    }

    private static IEnumerable<(int Hour, string Type)> EventsOf(Kind kind, int joinedDay, int day, Random random)
    {
        int Hour() => 7 + random.Next(15);
        switch (kind)
        {
            case Kind.New when day == joinedDay:
                yield return (Hour(), "signed_up");
                break;
            case Kind.New when day > joinedDay:
                var age = day - joinedDay;
                if (random.NextDouble() < (age < 14 ? 0.35 : 0.12))
                {
                    yield return (Hour(), "app_open");
                }

                if (random.NextDouble() < 0.15)
                {
                    yield return (Hour(), "login");
                }

                if (age is > 7 and < 28 && random.NextDouble() < 0.05)
                {
                    yield return (Hour(), "consult_completed");
                }

                if (random.NextDouble() < 0.012)
                {
                    yield return (Hour(), "order_completed");
                }

                break;
            case Kind.Active:
                if (random.NextDouble() < 0.5)
                {
                    yield return (Hour(), "app_open");
                }

                if (random.NextDouble() < 0.12)
                {
                    yield return (Hour(), "interaction");
                }

                if (random.NextDouble() < 0.03)
                {
                    yield return (Hour(), "order_completed");
                }

                if (random.NextDouble() < 0.2)
                {
                    yield return (Hour(), "login");
                }

                break;
            case Kind.Occasional:
                if (random.NextDouble() < 0.08)
                {
                    yield return (Hour(), "app_open");
                }

                if (random.NextDouble() < 0.02)
                {
                    yield return (Hour(), "interaction");
                }

                if (random.NextDouble() < 0.05)
                {
                    yield return (Hour(), "login");
                }

                break;
            case Kind.Dormant:
                if (random.NextDouble() < 0.002)
                {
                    yield return (Hour(), "login");
                }

                if (random.NextDouble() < 0.001)
                {
                    yield return (Hour(), "order_completed");
                }

                break;
        }

        if (random.NextDouble() < 0.0004)
        {
            yield return (Hour(), "unsubscribed");
        }

        // Page views and the like: most traffic touches no journey at all.
        var noise = random.Next(3);
        for (var n = 0; n < noise; n++)
        {
            yield return (Hour(), "page_view");
        }
    }

    private static readonly string[] FirstNames = ["Li", "Wei", "Anna", "Jonas", "Maria", "James", "Mei", "Yusuf", "Sofia", "Chen"];
}
