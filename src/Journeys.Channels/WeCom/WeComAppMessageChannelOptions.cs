namespace Journeys.Channels;

/// <summary>Settings of a <see cref="WeComAppMessageChannel"/>: the shared WeCom settings (<see cref="WeComChannelOptions"/>),
/// the application's agent id, and how long WeCom drops a repeated message.</summary>
public sealed class WeComAppMessageChannelOptions : WeComChannelOptions
{
    /// <summary>The longest duplicate-check interval WeCom accepts: 4 hours.</summary>
    public static readonly TimeSpan MaxDuplicateCheckInterval = TimeSpan.FromHours(4);

    /// <summary>Creates options with the defaults documented on each property; the name is <c>wecom</c>.</summary>
    public WeComAppMessageChannelOptions()
        : base("wecom")
    {
    }

    /// <summary>The application's agent id (<c>agentid</c>), a positive number. Required.</summary>
    public int AgentId { get; set; }

    /// <summary>How long WeCom drops a message identical to one sent before (<c>enable_duplicate_check</c>,
    /// <c>duplicate_check_interval</c>), so a retry after a lost answer does not reach the staff member twice; 30 minutes
    /// by default, 1 second to 4 hours, or null to send without the check.</summary>
    public TimeSpan? DuplicateCheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (AgentId <= 0)
        {
            errors.Add(Error(nameof(AgentId), $"must be the application's agent id, a positive number (was {AgentId})"));
        }

        if (DuplicateCheckInterval is { } interval && (interval < TimeSpan.FromSeconds(1) || interval > MaxDuplicateCheckInterval))
        {
            errors.Add(Error(nameof(DuplicateCheckInterval), $"must be 1 second to 4 hours, or null (was {interval})"));
        }
    }
}
