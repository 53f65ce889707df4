using System.Globalization;
using System.Text;

namespace Journeys.Benchmarks;

/// <summary>What users run, on disk: a journey folder whose one journey sends a Liquid-rendered push on every <c>ping</c>,
/// and a Segment-style events file for it with a send-heavy mix: the first tenth of the lines identify the customers
/// (a first name for the template), then a third of all lines are pings (each entering, sending and completing: three
/// decisions) and the rest page views with a property. One line per second of virtual time, customers in a fixed
/// pseudo-random order. Written once per process into a temporary folder, removed by <see cref="Delete"/>.</summary>
internal sealed class UserWorkload
{
    public const string Journey = """
        journey: ping
        entry: { on: ping }
        reentry: always
        start: notify
        steps:
          notify:
            send: { channel: push, template: ping/notice }
        """;

    public const string Template = "Hi {{ customer.firstName | default: \"there\" }}, your order {{ customer.plan }} is on its way.\n";

    private UserWorkload(string root, string folder, string events, int lines)
    {
        Root = root;
        Folder = folder;
        Events = events;
        Lines = lines;
    }

    /// <summary>The temporary folder holding everything.</summary>
    public string Root { get; }

    /// <summary>The journey folder.</summary>
    public string Folder { get; }

    /// <summary>The events file.</summary>
    public string Events { get; }

    /// <summary>Lines in the events file.</summary>
    public int Lines { get; }

    /// <summary>Writes the folder and an events file of <paramref name="lines"/> lines over <paramref name="customers"/> customers.</summary>
    public static UserWorkload Create(int lines, int customers, int seed = 19)
    {
        var root = Directory.CreateTempSubdirectory("journeys-users-").FullName;
        var folder = Path.Combine(root, "journeys");
        Directory.CreateDirectory(Path.Combine(folder, "templates", "ping"));
        File.WriteAllText(Path.Combine(folder, "ping.yaml"), Journey);
        File.WriteAllText(Path.Combine(folder, "templates", "ping", "notice.liquid"), Template);
        var events = Path.Combine(root, "events.jsonl");
        WriteEvents(events, lines, customers, seed);
        return new UserWorkload(root, folder, events, lines);
    }

    /// <summary>The events file itself: see the class.</summary>
    public static void WriteEvents(string path, int lines, int customers, int seed = 19)
    {
        var random = new Random(seed);
        var start = SampleWorkload.Start;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var identifies = Math.Min(customers, lines / 10);
        for (var i = 0; i < lines; i++)
        {
            var at = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            if (i < identifies)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"type":"identify","userId":"{{{SampleWorkload.CustomerId(i)}}}","timestamp":"{{{at}}}","traits":{"firstName":"Li","plan":"P-{{{i % 1000}}}","spend12m":{{{i % 97 * 100}}}}}"""));
                continue;
            }

            var id = SampleWorkload.CustomerId(random.Next(customers));
            writer.WriteLine(i % 3 == 0
                ? string.Create(CultureInfo.InvariantCulture, $$$"""{"type":"track","userId":"{{{id}}}","event":"ping","timestamp":"{{{at}}}","properties":{"source":"app"}}""")
                : string.Create(CultureInfo.InvariantCulture, $$$"""{"type":"track","userId":"{{{id}}}","event":"page_view","timestamp":"{{{at}}}","properties":{"path":"/products/{{{i % 500}}}","ms":{{{i % 900}}}}}"""));
        }
    }

    /// <summary>Removes the temporary folder.</summary>
    public void Delete()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder left behind is harmless
        }
    }
}
