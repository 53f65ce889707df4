using System.Text.Json;
using Journeys.Delivery;
using Journeys.Files;
using Journeys.Language.Loading;

namespace Journeys.Cli;

/// <summary><c>--actions FILE</c> of simulate and explain: how each action answers the calls of the run, by name — a JSON
/// object whose members are actions, each either <c>{"result": {...}}</c> (done, with that answer) or
/// <c>{"failed": "why"}</c> (gave up): <c>{"loyalty-credit": {"result": {"status": "ok"}}, "crm": {"failed": "down"}}</c>.
/// Without the option every action answers <c>{}</c>; with it, a journey calling an action the file does not list is an
/// error at the action's name.</summary>
internal static class ActionsFile
{
    private const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The actions the file describes, or null with the one-line reason in <paramref name="error"/>.</summary>
    public static IReadOnlyList<IJourneyAction>? Read(string path, out string error)
    {
        error = "";
        if (!FileIdentity.IsRegularFile(path))
        {
            error = Directory.Exists(path) ? $"actions file '{path}' is a folder, not a file" : $"actions file '{path}' does not exist or is not a regular file";
            return null;
        }

        if (new FileInfo(path).Length > MaxBytes)
        {
            error = $"actions file '{path}' is larger than {MaxBytes / (1024 * 1024)} MB";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            error = $"actions file '{path}' line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({FirstSentence(ex.Message)})";
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"actions file '{path}': expected a JSON object of actions by name, such as {{\"loyalty-credit\": {{\"result\": {{\"status\": \"ok\"}}}}}}";
                return null;
            }

            var actions = new List<IJourneyAction>();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (Answer(member.Value) is not { } answer)
                {
                    error = $"actions file '{path}': action '{member.Name}' must be {{\"result\": {{...}}}} (its answer, a JSON object) or {{\"failed\": \"why\"}}";
                    return null;
                }

                actions.Add(new FileAction(member.Name, answer));
            }

            return actions;
        }
    }

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

    private static ActionResult? Answer(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var members = value.EnumerateObject().ToList();
        return members switch
        {
            [{ Name: "result", Value.ValueKind: JsonValueKind.Object } result] => ActionResult.Done(result.Value.Clone()),
            [{ Name: "failed", Value.ValueKind: JsonValueKind.String } failed] => ActionResult.Permanent(failed.Value.GetString()!),
            _ => null,
        };
    }

    private static string FirstSentence(string message) =>
        message.IndexOf(". ", StringComparison.Ordinal) is var dot and > 0 ? message[..dot] : message.TrimEnd('.');

    /// <summary>An action answering every call the same.</summary>
    private sealed class FileAction(string name, ActionResult answer) : IJourneyAction
    {
        public string Name => name;

        public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(answer);
    }
}
