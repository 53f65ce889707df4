using Journeys.Definitions;

namespace Journeys.Runtime;

/// <summary>The gate when no pace policy applies: every send goes.</summary>
internal sealed class AllowAllGate : ISendGate
{
    public static AllowAllGate Instance { get; } = new();

    public string? Check(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks) => null;

    public void Sent(CustomerState customer, CompiledJourney journey, SendDefinition send, long nowTicks)
    {
    }
}
