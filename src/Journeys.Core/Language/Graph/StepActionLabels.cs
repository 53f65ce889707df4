using Journeys.Language.Definitions;

namespace Journeys.Language.Graph;

/// <summary>What a diagram writes for a step's actions besides its sends: <c>set stage, points</c> and
/// <c>emit vip_joined, vip_told</c>, <c>call loyalty-credit</c>, one line each (none for a step without them).</summary>
internal static class StepActionLabels
{
    public static List<string> Of(StepDefinition step)
    {
        var labels = new List<string>(2);
        if (step.Set.Count > 0)
        {
            labels.Add("set " + string.Join(", ", step.Set.Select(a => a.Trait)));
        }

        if (step.Emits.Count > 0)
        {
            labels.Add("emit " + string.Join(", ", step.Emits.Select(e => e.EventType)));
        }

        if (step.Call is { } call)
        {
            labels.Add("call " + call.Action);
        }

        return labels;
    }
}
