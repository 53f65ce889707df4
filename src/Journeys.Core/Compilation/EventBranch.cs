using Journeys.Decisions;
using Journeys.Language.Expressions;

namespace Journeys.Compilation;

/// <summary>An <c>on:</c> transition compiled: its guard (null: always), target step index and the label its <c>moved</c>
/// decision records.</summary>
internal sealed record EventBranch(JourneyExpression? Guard, int Target, DecisionReason Label);
