using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The registrations of the provider channels (WeCom, Aliyun and Tencent Cloud SMS, push, agent tasks). Each
/// works as <see cref="AddWebhookChannel"/> does: named options under the channel's name, checked when the host starts,
/// and an <see cref="IHttpClientFactory"/> client of the same name.</summary>
public static partial class ChannelsJourneysBuilderExtensions
{
    /// <summary>Registers a <see cref="WeComAppMessageChannel"/> (WeCom application messages to staff) named
    /// <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the corp id, the secret and the agent id.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddWeComAppMessageChannel(this IJourneysBuilder builder, string name, Action<WeComAppMessageChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddWeComAppMessageChannel), static (options, clients) => new WeComAppMessageChannel(options, clients));

    /// <summary>Registers a <see cref="WeComCustomerGroupSendChannel"/> (WeCom group-send tasks to customers) named
    /// <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the corp id and the customer-contact secret.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddWeComCustomerGroupSendChannel(this IJourneysBuilder builder, string name, Action<WeComCustomerGroupSendChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddWeComCustomerGroupSendChannel), static (options, clients) => new WeComCustomerGroupSendChannel(options, clients));

    /// <summary>Registers a <see cref="WeComGroupRobotChannel"/> (posts to a WeCom group through its robot) named
    /// <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the robot's key.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddWeComGroupRobotChannel(this IJourneysBuilder builder, string name, Action<WeComGroupRobotChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddWeComGroupRobotChannel), static (options, clients) => new WeComGroupRobotChannel(options, clients));

    /// <summary>Registers an <see cref="AliyunSmsChannel"/> (Aliyun Short Message Service) named <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the AccessKey pair and the sign name.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddAliyunSmsChannel(this IJourneysBuilder builder, string name, Action<AliyunSmsChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddAliyunSmsChannel), static (options, clients) => new AliyunSmsChannel(options, clients));

    /// <summary>Registers a <see cref="TencentSmsChannel"/> (Tencent Cloud SMS) named <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the API key pair, the SMS application id and the sign name.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddTencentSmsChannel(this IJourneysBuilder builder, string name, Action<TencentSmsChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddTencentSmsChannel), static (options, clients) => new TencentSmsChannel(options, clients));

    /// <summary>Registers an <see cref="AgentTaskChannel"/> named <paramref name="name"/>, recording tasks in the
    /// <see cref="IAgentTaskSink"/> the host registers (for example <c>Journeys.Sqlite.SqliteAgentTaskSink</c>); its
    /// options are checked when the host starts.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the queue, the assignee trait, the due time and the completion event.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddAgentTaskChannel(this IJourneysBuilder builder, string name, Action<AgentTaskChannelOptions> configure)
    {
        var services = Check(builder, name, configure);
        services.AddOptions<AgentTaskChannelOptions>(name).Configure(o => o.Name = name).Configure(configure).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AgentTaskChannelOptions>>(new ChannelOptionsValidator<AgentTaskChannelOptions>(name,
            o => o.Errors().Concat(NameKept<AgentTaskChannelOptions>(o.Name, name, nameof(AddAgentTaskChannel)))));
        services.AddSingleton<Journeys.Delivery.IChannel>(sp => new AgentTaskChannel(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<AgentTaskChannelOptions>>().Get(name),
            sp.GetRequiredService<Journeys.Delivery.IAgentTaskSink>()));
        return builder;
    }

    /// <summary>Registers an <see cref="FcmChannel"/> (Firebase Cloud Messaging HTTP v1) named <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the project and the service account.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddFcmChannel(this IJourneysBuilder builder, string name, Action<FcmChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddFcmChannel), static (options, clients) => new FcmChannel(options, clients));

    /// <summary>Registers an <see cref="ApnsChannel"/> (Apple Push Notification service, token-based, HTTP/2) named
    /// <paramref name="name"/>.</summary>
    /// <param name="builder">The builder from <c>AddJourneys</c>.</param>
    /// <param name="name">The channel name journeys use in <c>send: { channel: ... }</c>.</param>
    /// <param name="configure">Sets the team id, the key id, the .p8 key and the bundle id.</param>
    /// <returns>The builder.</returns>
    public static IJourneysBuilder AddApnsChannel(this IJourneysBuilder builder, string name, Action<ApnsChannelOptions> configure) =>
        AddHttpChannel(builder, name, configure, nameof(AddApnsChannel), static (options, clients) => new ApnsChannel(options, clients));
}
