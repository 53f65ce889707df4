using System.Globalization;

namespace Journeys.Tests.Cli;

/// <summary>Generated events files for the simulate tests that compare one read with two.</summary>
internal static class SimulateEvents
{
    /// <summary>Sample-journey events over a few weeks; several lines share an instant; identify lines carry
    /// <paramref name="firstName"/>.</summary>
    public static List<string> Lines(int seed, int lines = 2000, int customers = 200, string firstName = "Li")
    {
        var random = new Random(seed);
        var at = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var types = new[] { "signed_up", "app_open", "interaction", "order_completed", "login", "consult_completed", "page_view" };
        var result = new List<string>();
        for (var i = 0; i < lines; i++)
        {
            at = at.AddMinutes(random.Next(0, 3) == 0 ? 0 : random.Next(1, 90));
            var user = "u" + random.Next(customers).ToString(CultureInfo.InvariantCulture);
            var ts = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            result.Add(random.Next(8) == 0
                ? $$$"""{"type":"identify","userId":"{{{user}}}","timestamp":"{{{ts}}}","traits":{"firstName":"{{{firstName}}}","spend12m":{{{random.Next(0, 9000)}}},"timeZone":"Asia/Shanghai"}}"""
                : $$$"""{"type":"track","userId":"{{{user}}}","event":"{{{types[random.Next(types.Length)]}}}","timestamp":"{{{ts}}}","properties":{"amount":{{{random.Next(1, 500)}}}}}""");
        }

        return result;
    }
}
