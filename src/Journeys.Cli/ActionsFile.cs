using Journeys.Delivery;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary><c>--actions FILE</c> of simulate and explain: how each action answers the calls of the run, by name — a JSON
/// object whose members are actions, each either <c>{"result": {...}}</c> (done, with that answer) or
/// <c>{"failed": "why"}</c> (gave up): <c>{"loyalty-credit": {"result": {"status": "ok"}}, "crm": {"failed": "down"}}</c>.
/// Without the option every action answers <c>{}</c>; with it, a journey calling an action the file does not list is an
/// error at the action's name.</summary>
internal static class ActionsFile
{
    /// <summary>The actions the file describes (<see cref="ActionAnswers"/>, the public reader of the format), or null with
    /// the one-line reason in <paramref name="error"/>.</summary>
    public static IReadOnlyList<IJourneyAction>? Read(string path, out string error) => ActionAnswers.TryReadFile(path, out error);

    /// <summary>Prints an error at each call of an action the file does not list; true when there is none.</summary>
    public static bool CoversCalls(JourneyCatalog catalog, IReadOnlyList<IJourneyAction> actions, string path, TextWriter stderr)
    {
        var names = actions.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var ok = true;
        foreach (var call in catalog.Journeys.SelectMany(j => j.Steps).Select(s => s.Call).OfType<Journeys.Inspection.CallInfo>()
                     .Where(c => !names.Contains(c.Action)))
        {
            stderr.WriteLine(SimulationRun.Escape(
                $"{call.ActionLocation}: action '{call.Action}' is not in the actions file '{path}'" +
                (names.Count == 0 ? "; it lists none" : $"; it lists {string.Join(", ", names.Order(StringComparer.Ordinal))}")));
            ok = false;
        }

        return ok;
    }
}
