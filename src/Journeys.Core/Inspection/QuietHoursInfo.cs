using Journeys.Diagnostics;
using Journeys.Language.Definitions;

namespace Journeys.Inspection;

/// <summary>Quiet hours in the customer's local time (<c>quietHours: { from: "21:00", to: "08:00" }</c>); may span midnight.</summary>
public sealed class QuietHoursInfo
{
    internal QuietHoursInfo(QuietHours quiet)
    {
        From = quiet.From;
        To = quiet.To;
        Location = quiet.Location;
    }

    /// <summary>The local time quiet hours start.</summary>
    public TimeOnly From { get; }

    /// <summary>The local time they end: held sends go out then.</summary>
    public TimeOnly To { get; }

    /// <summary>Where they were written.</summary>
    public SourceLocation Location { get; }
}
