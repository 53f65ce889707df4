using Journeys.Diagnostics;
using Journeys.Language.Definitions;
using Journeys.Language.Expressions;
using Journeys.Language.Yaml;

namespace Journeys.Language.Loading;

// A step's `call:` (an action the host registered, asked on arrival) and the transitions that wait for its answer:
// `on: $done` (whose `if:` may read result.*) and `on: $failed` (the call, or the step's send, gave up).
internal sealed partial class DefinitionParser
{
    private static readonly string[] CallKeys = ["action", "with"];
    private static readonly string[] AnswerEvents = [CallDefinition.Done, CallDefinition.Failed];

    private bool _stepCalls; // while a step's transitions are parsed: the step has a call, so `on: $done` may read result.*

    private CallDefinition? ParseCall(YNode node)
    {
        if (Map(node, "call") is not { } map)
        {
            return null;
        }

        CheckKeys(map, CallKeys, "call");
        var action = map["action"] is { } a ? Name(a, "action") : Missing<string>(map, "action", "the name of an action the host registered, such as loyalty-credit");
        var with = ExpressionMap(map["with"], "call arguments ('with')");
        return action is null || with is null ? null : new CallDefinition(action, with) { Location = map.Location, ActionLocation = map["action"]!.Location };
    }

    /// <summary>The engine's own events in a step's transitions: <c>$done</c> needs the step to call, <c>$failed</c> to
    /// call or send; any other <c>$</c> name is none of the engine's. A calling step waits for the answer, so its arrival
    /// branches never fire.</summary>
    private void CheckAnswers(string step, List<TransitionDefinition> transitions, bool calls, bool sends)
    {
        foreach (var t in transitions)
        {
            if (calls && t is GotoTransition or ConditionTransition or SplitTransition)
            {
                Warning(t.Location, DiagnosticCodes.DeadStep,
                    $"this transition of step '{step}' can never fire: a step with 'call' waits for the answer instead of taking its arrival branches; move on with {{ on: $done, goto: ... }}");
            }

            if (t is not EventTransition { EventType: var type } || !type.StartsWith(ReservedEventPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            switch (type)
            {
                case CallDefinition.Done when !calls:
                    Error(t.Location, DiagnosticCodes.InvalidValue,
                        $"'on: $done' waits for the answer of the step's call, and step '{step}' has no 'call': add call: {{ action: NAME, with: {{ ... }} }} to the step");
                    break;
                case CallDefinition.Failed when !calls && !sends:
                    Error(t.Location, DiagnosticCodes.InvalidValue,
                        $"'on: $failed' fires when the step's call or send gave up, and step '{step}' has neither a 'call' nor a 'send'");
                    break;
                case CallDefinition.Done or CallDefinition.Failed:
                    break;
                default:
                    Error(t.Location, DiagnosticCodes.InvalidValue,
                        $"'{type}' is not an event of the engine{Hint(type, AnswerEvents)}: names starting with '$' are its own, $done (the step's call answered) and $failed (its call or send gave up)");
                    break;
            }
        }
    }
}
