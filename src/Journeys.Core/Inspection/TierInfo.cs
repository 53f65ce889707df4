using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>A customer tier (<c>high-value: "customer.spend12m >= 5000"</c>).</summary>
public sealed class TierInfo
{
    /// <summary>The tier of a customer who matches none: <c>default</c>.</summary>
    public const string Default = TierDefinition.Default;

    internal TierInfo(TierDefinition tier)
    {
        Name = tier.Name;
        Condition = tier.Condition.Text;
        Location = tier.Location;
    }

    /// <summary>The tier's name.</summary>
    public string Name { get; }

    /// <summary>The condition's source text.</summary>
    public string Condition { get; }

    /// <summary>Where the tier was written.</summary>
    public SourceLocation Location { get; }
}
