using Journeys.Decisions;

namespace Journeys.Sample;

/// <summary>Counts decisions per journey and step: what operators read to see how a journey performs.</summary>
internal sealed class JourneyStats
{
    private readonly Dictionary<(string Journey, string Step), long[]> _counts = new();
    private readonly object _gate = new();

    public long Decisions { get; private set; }

    public void Add(JourneyDecision d)
    {
        lock (_gate)
        {
            Decisions++;
            var column = d.Kind switch
            {
                DecisionKind.Entered or DecisionKind.Moved => 0,
                DecisionKind.Sent => 1,
                DecisionKind.Suppressed => 2,
                DecisionKind.Goal => 3,
                DecisionKind.Exited when d.Why?.Kind == ReasonKind.Goal => -1,
                DecisionKind.Exited => 4,
                DecisionKind.Completed => 5,
                _ => -1,
            };
            if (column < 0)
            {
                return;
            }

            if (!_counts.TryGetValue((d.JourneyId, d.Step), out var row))
            {
                _counts[(d.JourneyId, d.Step)] = row = new long[6];
            }

            row[column]++;
        }
    }

    public void Print(TextWriter output, IEnumerable<(string Journey, IEnumerable<string> Steps)> order)
    {
        output.WriteLine($"{"journey / step",-36}{"arrived",10}{"sent",10}{"suppr.",10}{"goal",10}{"exited",10}{"complete",10}");
        output.WriteLine(new string('-', 96));
        foreach (var (journey, steps) in order)
        {
            var total = new long[6];
            var lines = new List<string>();
            foreach (var step in steps)
            {
                var row = _counts.TryGetValue((journey, step), out var r) ? r : new long[6];
                for (var i = 0; i < 6; i++)
                {
                    total[i] += row[i];
                }

                lines.Add(Line("  " + step, row));
            }

            output.WriteLine(Line(journey, total));
            lines.ForEach(output.WriteLine);
        }

        output.WriteLine();
        foreach (var line in Legend)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>What each column counts (a journey's row is the sum of its steps').</summary>
    internal static readonly string[] Legend =
    [
        "arrived   customers who entered the journey at the step or moved into it",
        "sent      messages sent from the step",
        "suppr.    sends held back: a frequency cap, quiet hours (deferred sends are not counted) or no consent",
        "goal      customers who reached the journey's goal while at the step",
        "exited    customers who left by an exit rule while at the step",
        "complete  customers who finished the journey at the step (no 'then', or 'goto: end')",
    ];

    private static string Line(string name, long[] row) =>
        $"{name,-36}{row[0],10:N0}{row[1],10:N0}{row[2],10:N0}{row[3],10:N0}{row[4],10:N0}{row[5],10:N0}";
}
