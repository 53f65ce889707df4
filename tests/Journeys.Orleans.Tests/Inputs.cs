using System.Globalization;
using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Orleans.Tests;

/// <summary>Seeded inputs over the sample journeys (samples/journeys): each customer identifies with a time zone and
/// traits, then does a few of the events the journeys read, at whole hours over about four months.</summary>
internal static class Inputs
{
    private static readonly string[] Zones = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC"];
    private static readonly string[] Events = ["signed_up", "app_open", "login", "consult_completed", "order_completed", "interaction", "page_view", "call_completed", "membership_renewed"];

    public static List<SegmentInput> Make(int seed, int customers, int days = 120)
    {
        var random = new Random(seed);
        var inputs = new List<SegmentInput>();
        for (var c = 0; c < customers; c++)
        {
            var id = $"s{seed}-c{c}";
            var at = ClusterRun.Start.AddHours(random.Next(0, 72));
            var traits = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["firstName"] = "N" + c,
                ["spend12m"] = (double)random.Next(0, 9000),
                ["birthday"] = new DateTime(1990, 1 + random.Next(0, 4), 1 + random.Next(0, 28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            if (random.Next(2) == 0)
            {
                traits["serviceEndsAt"] = ClusterRun.Start.AddDays(random.Next(10, 90)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }

            inputs.Add(new SegmentInput(inputs.Count + 1, at, null, new CustomerProfile(id, traits, Zones[random.Next(Zones.Length)], at)));
            var count = random.Next(1, 8);
            for (var i = 0; i < count; i++)
            {
                var type = i == 0 && random.Next(3) > 0 ? "signed_up" : Events[random.Next(Events.Length)];
                at = at.AddHours(random.Next(1, days * 24 / count));
                var properties = type == "order_completed"
                    ? new Dictionary<string, object?> { ["amount"] = Math.Round(random.NextDouble() * 400, 2) }
                    : null;
                inputs.Add(new SegmentInput(inputs.Count + 1, at, new CustomerEvent(id, type, at, properties), null));
            }
        }

        return inputs;
    }
}
