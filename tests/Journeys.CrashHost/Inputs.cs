using Journeys.Sample;
using Journeys.State;

namespace Journeys.CrashHost;

/// <summary>The sample population's inputs, with each customer's timestamps made strictly increasing (a tie moves one
/// millisecond later), so a customer's last saved event time tells exactly which of its inputs were applied.</summary>
internal static class Inputs
{
    public static List<(DateTimeOffset At, CustomerProfile? Profile, CustomerEvent? Event)> Generate(int customers, DateTimeOffset start, int days)
    {
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var inputs = new List<(DateTimeOffset, CustomerProfile?, CustomerEvent?)>();
        foreach (var (at, profile, e) in new Population(customers, start, days).Generate())
        {
            var id = profile?.CustomerId ?? e!.CustomerId;
            var t = last.TryGetValue(id, out var previous) && at <= previous ? previous.AddMilliseconds(1) : at;
            last[id] = t;
            inputs.Add((t, profile is null ? null : profile with { Timestamp = t }, e is null ? null : new CustomerEvent(id, e.Type, t, e.Properties)));
        }

        return inputs;
    }

    /// <summary>The sample journeys plus crash-watermark.yaml, copied once into the work folder (whole or not at all).</summary>
    public static string PrepareJourneys(string sampleJourneys, string work)
    {
        var folder = Path.Combine(work, "journeys");
        if (Directory.Exists(folder))
        {
            return folder;
        }

        var temporary = folder + ".tmp";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        // Schedule journeys run too: the store's committed clock (the last drain) keeps the restarted host, whose clock
        // starts at the origin, from firing an occurrence at or before it again, and an occurrence after it enters only
        // the customers it had not entered and saved (docs/operations.md, "Schedules after a restart").
        foreach (var file in Directory.GetFiles(sampleJourneys, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(temporary, Path.GetRelativePath(sampleJourneys, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.Copy(Path.Combine(AppContext.BaseDirectory, "crash-watermark.yaml"), Path.Combine(temporary, "crash-watermark.yaml"));
        Directory.Move(temporary, folder);
        return folder;
    }
}
