using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Channels.Providers;

namespace Journeys.Tests.Contracts;

/// <summary>The WeCom channels keep the channel contract against <see cref="FakeWeComServer"/>. A news message carries
/// the subject as its title; the contract's text messages carry the body only.</summary>
public sealed class WeComAppMessageChannelContractTests : ProviderChannelContractTests<WeComAppMessageChannel>
{
    private readonly FakeWeComServer _server;

    public WeComAppMessageChannelContractTests() => _server = new FakeWeComServer(Clock);

    protected override bool CarriesSubject => true; // sent as news: the subject is the article's title

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey) => base.CreateMessage(channelName, idempotencyKey) with
    {
        Fields = new Dictionary<string, string> { ["msgtype"] = "news", ["url"] = "https://crm.example.com/tasks/1" },
        Traits = new Dictionary<string, object?> { ["wecomStaff"] = "zhangsan" },
    };

    private protected override WeComAppMessageChannel Channel() => new(new WeComAppMessageChannelOptions
    {
        Url = _server.Url,
        CorpId = FakeWeComServer.CorpId,
        Secret = FakeWeComServer.Secret,
        AgentId = FakeWeComServer.AgentId,
        DuplicateCheckInterval = null,
        TimeProvider = Clock,
    }, Client);

    private protected override Task WarmUpAsync(WeComAppMessageChannel channel) => SendWarmUpAsync(channel);

    private protected override string? Read(ProviderRequest request)
    {
        if (request.Path != "/cgi-bin/message/send")
        {
            return null;
        }

        var article = request.Json.GetProperty("news").GetProperty("articles")[0];
        return $"{article.GetProperty("title").GetString()}\n{article.GetProperty("description").GetString()}";
    }
}

/// <summary><see cref="WeComCustomerGroupSendChannel"/> keeps the channel contract (a text group-send task).</summary>
public sealed class WeComCustomerGroupSendChannelContractTests : ProviderChannelContractTests<WeComCustomerGroupSendChannel>
{
    private readonly FakeWeComServer _server;

    public WeComCustomerGroupSendChannelContractTests() => _server = new FakeWeComServer(Clock);

    protected override bool CarriesSubject => false;

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey) => base.CreateMessage(channelName, idempotencyKey) with
    {
        Traits = new Dictionary<string, object?> { ["wecomStaff"] = "zhangsan", ["wecomExternalUserId"] = "wm-cust-2" },
    };

    private protected override WeComCustomerGroupSendChannel Channel() => new(new WeComCustomerGroupSendChannelOptions
    {
        Url = _server.Url,
        CorpId = FakeWeComServer.CorpId,
        Secret = FakeWeComServer.Secret,
        TimeProvider = Clock,
    }, Client);

    private protected override Task WarmUpAsync(WeComCustomerGroupSendChannel channel) => SendWarmUpAsync(channel);

    private protected override string? Read(ProviderRequest request) =>
        request.Path == "/cgi-bin/externalcontact/add_msg_template" ? request.Json.GetProperty("text").GetProperty("content").GetString() : null;
}

/// <summary><see cref="WeComGroupRobotChannel"/> keeps the channel contract (markdown posts).</summary>
public sealed class WeComGroupRobotChannelContractTests : ProviderChannelContractTests<WeComGroupRobotChannel>
{
    private readonly FakeWeComServer _server;

    public WeComGroupRobotChannelContractTests() => _server = new FakeWeComServer(Clock);

    protected override bool CarriesSubject => false;

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey) => base.CreateMessage(channelName, idempotencyKey) with
    {
        Fields = new Dictionary<string, string> { ["msgtype"] = "markdown" },
    };

    private protected override WeComGroupRobotChannel Channel() => new(new WeComGroupRobotChannelOptions
    {
        Url = new Uri(_server.Url, "cgi-bin/webhook/send"),
        Key = FakeWeComServer.RobotKey,
        TimeProvider = Clock,
    }, Client);

    private protected override string? Read(ProviderRequest request) => request.Json.GetProperty("markdown").GetProperty("content").GetString();
}
