using System.Collections;
using System.Text.Json;
using Journeys.Files;

namespace Journeys.Delivery;

/// <summary>Fixed answers for the actions journeys <c>call</c>, by name: the format of <c>journeys simulate --actions FILE</c>
/// and of a scenario's <c>actions:</c> key, for tests and simulations of journeys that call actions. A JSON object whose
/// members are actions, each either <c>{"result": {...}}</c> (done, with that answer) or <c>{"failed": "why"}</c> (gave up
/// for good): <c>{"loyalty-credit": {"result": {"status": "ok"}}, "crm": {"failed": "CRM down"}}</c>.
/// <para>It is the list of those actions, each answering every call the same at once, ready to register in one line:
/// <c>builder.AddActions(ActionAnswers.ReadFile("actions.json"))</c>, <c>new Simulator(catalog, channel, answers)</c>, or
/// a silo's <c>Actions</c>. Reading never throws for bad content without saying where: every message names the file and,
/// for bad JSON, its line.</para></summary>
public sealed class ActionAnswers : IReadOnlyList<IJourneyAction>
{
    /// <summary>The largest actions file read: 16 MB.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private readonly IJourneyAction[] _actions;

    private ActionAnswers(IJourneyAction[] actions) => _actions = actions;

    /// <summary>How many actions the answers cover.</summary>
    public int Count => _actions.Length;

    /// <summary>The action at <paramref name="index"/>, in the order the JSON lists them.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    public IJourneyAction this[int index] => _actions[index];

    /// <summary>The names of the actions, in the order the JSON lists them.</summary>
    public IEnumerable<string> Names => _actions.Select(a => a.Name);

    /// <summary>Reads an actions file.</summary>
    /// <param name="path">The file: a regular file of strict UTF-8 JSON, at most <see cref="MaxBytes"/>.</param>
    /// <returns>The actions it describes.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist, or is a folder or not a regular file.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read, is too large, is not valid JSON (its line is
    /// named), is not an object, or an action is neither <c>{"result": {...}}</c> nor <c>{"failed": "why"}</c>.</exception>
    public static ActionAnswers ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return TryReadFile(path, out var error) ?? throw (FileIdentity.IsRegularFile(path) ? new InvalidDataException(error) : new FileNotFoundException(error, path));
    }

    /// <summary>Reads an actions file, or says in one line why it cannot: <c>actions file 'a.json' line 3: not valid
    /// JSON (...)</c>. The CLI prints that line for <c>--actions</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="error">Empty when the file was read; else the reason, naming the file.</param>
    /// <returns>The actions, or null when the file cannot be used.</returns>
    public static ActionAnswers? TryReadFile(string path, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = "";
        var name = $"actions file '{path}'";
        if (Directory.Exists(path))
        {
            error = $"{name} is a folder, not a file";
            return null;
        }

        if (!FileIdentity.IsRegularFile(path))
        {
            error = $"{name} does not exist or is not a regular file";
            return null;
        }

        var diagnostics = new List<Diagnostics.Diagnostic>();
        if (InputFile.ReadText(path, path, MaxBytes, "an actions file", diagnostics) is not { } text)
        {
            var problem = diagnostics[0];
            error = problem.Code == Diagnostics.DiagnosticCodes.Syntax
                ? $"{name} line {problem.Location.Line}: {problem.Message}"
                : $"{name}: {problem.Message}";
            return null;
        }

        return TryParse(text, name, out error);
    }

    /// <summary>Reads actions from JSON text, as <see cref="ReadFile"/> reads a file.</summary>
    /// <param name="json">The JSON object of actions by name.</param>
    /// <returns>The actions it describes.</returns>
    /// <exception cref="InvalidDataException">The text is not valid JSON (its line is named), not an object, or an
    /// action is neither <c>{"result": {...}}</c> nor <c>{"failed": "why"}</c>.</exception>
    public static ActionAnswers Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(json, "actions", out var error) ?? throw new InvalidDataException(error);
    }

    /// <inheritdoc/>
    public IEnumerator<IJourneyAction> GetEnumerator() => ((IEnumerable<IJourneyAction>)_actions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static ActionAnswers? TryParse(string json, string name, out string error)
    {
        error = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = $"{name} line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({FirstSentence(ex.Message)})";
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"{name}: expected a JSON object of actions by name, such as {{\"loyalty-credit\": {{\"result\": {{\"status\": \"ok\"}}}}}}";
                return null;
            }

            var actions = new List<IJourneyAction>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.Name.Length == 0)
                {
                    error = $"{name}: an action's name is empty";
                    return null;
                }

                if (!names.Add(member.Name))
                {
                    error = $"{name}: action '{member.Name}' is listed twice";
                    return null;
                }

                if (Answer(member.Value) is not { } answer)
                {
                    error = $"{name}: action '{member.Name}' must be {{\"result\": {{...}}}} (its answer, a JSON object) or {{\"failed\": \"why\"}}";
                    return null;
                }

                actions.Add(new FixedAnswer(member.Name, answer));
            }

            return new ActionAnswers([.. actions]);
        }
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

    /// <summary>An action answering every call the same, at once.</summary>
    private sealed class FixedAnswer(string name, ActionResult answer) : IJourneyAction
    {
        public string Name => name;

        public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(answer);
    }
}
