using Journeys.Decisions;
using Journeys.Language.Expressions;

namespace Journeys.Compilation;

/// <summary>An <c>exit</c> rule compiled: its guard (null: always) and the reason its decision records (<c>exit:type</c>).</summary>
internal sealed record CompiledExit(JourneyExpression? Guard, DecisionReason Reason);
