using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Orleans.Sample;

/// <summary>Generated customers for the sample journeys: an identify, then a few events each, at whole hours.</summary>
internal static class Inputs
{
    private static readonly string[] Zones = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC"];
    private static readonly string[] Events = ["app_open", "login", "consult_completed", "order_completed", "interaction", "page_view"];

    public static List<SegmentInput> Make(int customers, DateTimeOffset start, int days, int seed = 1)
    {
        var random = new Random(seed);
        var inputs = new List<SegmentInput>();
        for (var c = 0; c < customers; c++)
        {
            var id = $"c{c:D6}";
            var at = start.AddHours(random.Next(0, 72));
            var traits = new Dictionary<string, object?> { ["firstName"] = "N" + c, ["spend12m"] = (double)random.Next(0, 9000) };
            inputs.Add(new SegmentInput(inputs.Count + 1, at, null, new CustomerProfile(id, traits, Zones[random.Next(Zones.Length)], at)));
            inputs.Add(new SegmentInput(inputs.Count + 1, at, new CustomerEvent(id, "signed_up", at), null));
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                at = at.AddHours(random.Next(1, days * 24 / 6));
                var type = Events[random.Next(Events.Length)];
                var properties = type == "order_completed" ? new Dictionary<string, object?> { ["amount"] = 50.0 + random.Next(300) } : null;
                inputs.Add(new SegmentInput(inputs.Count + 1, at, new CustomerEvent(id, type, at, properties), null));
            }
        }

        return inputs;
    }
}
