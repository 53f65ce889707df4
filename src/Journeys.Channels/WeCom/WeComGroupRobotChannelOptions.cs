namespace Journeys.Channels;

/// <summary>Settings of a <see cref="WeComGroupRobotChannel"/>: the group robot's webhook (<see cref="HttpChannelOptions.Url"/>,
/// <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send</c> by default) and its key.</summary>
public sealed class WeComGroupRobotChannelOptions : HttpChannelOptions
{
    /// <summary>WeCom's robot webhook address.</summary>
    public static readonly Uri DefaultUrl = new("https://qyapi.weixin.qq.com/cgi-bin/webhook/send");

    /// <summary>Creates options with the defaults documented on each property; the name is <c>wecom-group</c>.</summary>
    public WeComGroupRobotChannelOptions()
        : base("wecom-group")
    {
        Url = DefaultUrl;
    }

    /// <summary>The robot's key: the <c>key</c> of the webhook address WeCom shows when the robot is added to the group.
    /// Required.</summary>
    public string? Key { get; set; }

    /// <summary>How long the channel asks the engine to wait when the robot is over WeCom's limit (20 messages a minute
    /// per robot, errcode 45009); 1 minute by default, zero to 1 hour.</summary>
    public TimeSpan RateLimitWait { get; set; } = TimeSpan.FromMinutes(1);

    private protected override void Validate(List<string> errors)
    {
        base.Validate(errors);
        if (string.IsNullOrWhiteSpace(Key))
        {
            errors.Add(Error(nameof(Key), "must be the robot's webhook key"));
        }

        if (RateLimitWait < TimeSpan.Zero || RateLimitWait > TimeSpan.FromHours(1))
        {
            errors.Add(Error(nameof(RateLimitWait), $"must be zero to 1 hour (was {RateLimitWait})"));
        }
    }
}
