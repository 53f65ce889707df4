using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Journeys.Tests.Channels.Providers;

/// <summary>The WeCom channels against <see cref="FakeWeComServer"/>: tokens fetched once, cached, shared, refreshed on
/// expiry; what each API receives; error codes and limits mapped to delivery results.</summary>
public sealed class WeComChannelTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private FakeWeComServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new FakeWeComServer(_clock);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    internal static OutboundMessage Message(string key, string? body = "Please call Ada back about her first order", string? subject = null,
        Dictionary<string, string>? fields = null, Dictionary<string, object?>? traits = null) => new()
    {
        IdempotencyKey = key,
        Channel = "wecom",
        Template = "nurture/consult",
        CustomerId = "c42",
        JourneyId = "nurture",
        JourneyVersion = 1,
        Step = "consult",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
        Subject = subject,
        Body = body,
        Fields = fields ?? new Dictionary<string, string>(),
        Traits = traits ?? new Dictionary<string, object?> { ["wecomStaff"] = "zhangsan", ["wecomExternalUserId"] = "wm-cust-1" },
    };

    private WeComAppMessageChannelOptions AppOptions(string secret = FakeWeComServer.Secret) => new()
    {
        Url = _server.Url,
        CorpId = FakeWeComServer.CorpId,
        Secret = secret,
        AgentId = FakeWeComServer.AgentId,
        TimeProvider = _clock,
    };

    private WeComAppMessageChannel App(string secret = FakeWeComServer.Secret) => new(AppOptions(secret), _client);

    private WeComCustomerGroupSendChannel Customer() => new(new WeComCustomerGroupSendChannelOptions
    {
        Url = _server.Url,
        CorpId = FakeWeComServer.CorpId,
        Secret = FakeWeComServer.Secret,
        TimeProvider = _clock,
    }, _client);

    private WeComGroupRobotChannel Robot(string key = FakeWeComServer.RobotKey) => new(new WeComGroupRobotChannelOptions
    {
        Url = new Uri(_server.Url, "cgi-bin/webhook/send"),
        Key = key,
        TimeProvider = _clock,
    }, _client);

    private int TokenRequests => _server.Received.Count(r => r.Path == "/cgi-bin/gettoken");

    [Fact]
    public async Task AppMessage_Text_FetchesATokenAndSendsToTheCustomersStaffMember()
    {
        var result = await App().SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var (user, msgtype, message) = Assert.Single(_server.AppMessages);
        Assert.Equal(("zhangsan", "text", "Please call Ada back about her first order"), (user, msgtype, message.GetProperty("content").GetString()));
        var send = _server.Received.Single(r => r.Path == "/cgi-bin/message/send");
        Assert.Equal("tok-1", send.QueryValue("access_token"));
        Assert.Equal(1800, send.Json.GetProperty("duplicate_check_interval").GetInt32());
        Assert.Equal("k1", send.IdempotencyKey);
    }

    [Fact]
    public async Task AppMessage_ManySendsAndTwoChannelsOfOneCorpAndSecret_ShareOneToken()
    {
        var first = App();
        var second = App();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).SendAsync(Message($"k{i}", body: $"task {i}"), CancellationToken.None).AsTask()));

        Assert.Equal(1, TokenRequests);
        Assert.Equal(8, _server.AppMessages.Count);
    }

    [Fact]
    public async Task AppMessage_TokenNearItsExpiry_IsFetchedAgainBeforeWeComRefusesIt()
    {
        var channel = App();
        await channel.SendAsync(Message("k1", body: "one"), CancellationToken.None);

        _clock.Advance(FakeWeComServer.TokenLifetime - CachedToken.Margin);
        var result = await channel.SendAsync(Message("k2", body: "two"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Equal(2, TokenRequests);
        Assert.DoesNotContain(_server.Received, r => r.Text.Contains("42001", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, 42001)]
    [InlineData(true, 40014)]
    public async Task AppMessage_WeComRefusesTheToken_RetryableAtOnceAndTheNextAttemptUsesANewToken(bool forgetTokens, int errcode)
    {
        var channel = App();
        await channel.SendAsync(Message("k1", body: "one"), CancellationToken.None);
        if (forgetTokens)
        {
            _server.ScriptJson("""{"errcode":40014,"errmsg":"invalid access_token"}""");
        }
        else
        {
            _server.ExpireTokens();
        }

        var refused = await channel.SendAsync(Message("k2", body: "two"), CancellationToken.None);
        var retried = await channel.SendAsync(Message("k2", body: "two"), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryableFailure, refused.Status);
        Assert.Equal(TimeSpan.Zero, refused.RetryAfter);
        Assert.StartsWith($"WeCom errcode {errcode} (", refused.Reason, StringComparison.Ordinal);
        Assert.EndsWith("the access token was refused; the next attempt fetches a new one", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryResult.Delivered, retried);
        Assert.Equal(2, TokenRequests);
        Assert.Equal("tok-2", _server.Received.Last().QueryValue("access_token"));
    }

    [Fact]
    public async Task InAnEngine_TokenExpiredAtWeCom_TheEnginesRetryDeliversWithAFreshToken()
    {
        using var folder = new TempFolder();
        folder.Write("nurture.yaml", """
            journey: nurture
            entry: { on: signed_up }
            start: consult
            steps:
              consult:
                send: { channel: wecom, template: nurture/consult }
            """);
        folder.Write("templates/nurture/consult.liquid", "---\nfields:\n  msgtype: markdown\n---\n**Call back** {{ customer.name }}");
        var channel = App();
        await channel.SendAsync(Message("warm-up", body: "warm-up"), CancellationToken.None);
        _server.ExpireTokens();
        await using var engine = new JourneyEngineBuilder().LoadFolder(folder.Path)
            .AddChannel(channel, new ChannelDeliveryOptions { AttemptTimeout = null, BaseDelay = TimeSpan.FromSeconds(5) })
            .UseTimeProvider(_clock).WithPartitions(1).Build().Start();

        await engine.IdentifyAsync(new CustomerProfile("c42", new Dictionary<string, object?> { ["name"] = "Ada", ["wecomStaff"] = "lisi" }));
        await engine.PublishAsync(new CustomerEvent("c42", "signed_up"));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var (user, msgtype, message) = _server.AppMessages.Last();
        Assert.Equal(("lisi", "markdown", "**Call back** Ada"), (user, msgtype, message.GetProperty("content").GetString()));
        Assert.Equal(2, TokenRequests);
    }

    [Fact]
    public async Task AppMessage_SameContentRetriedAfterALostAnswer_WeComDropsTheRepeat()
    {
        var channel = App();

        await channel.SendAsync(Message("k1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var again = await channel.SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, again);
        Assert.Single(_server.AppMessages);
    }

    [Fact]
    public async Task AppMessage_MarkdownAndNews_SentAsWeComsMessageTypes()
    {
        var channel = App();

        await channel.SendAsync(Message("k1", body: "# Task", fields: new() { ["msgtype"] = "markdown" }), CancellationToken.None);
        await channel.SendAsync(Message("k2", body: "Ada's first order", subject: "Call Ada",
            fields: new() { ["msgtype"] = "news", ["url"] = "https://crm.example.com/c42", ["picurl"] = "https://crm.example.com/p.png" }), CancellationToken.None);

        var messages = _server.AppMessages.ToList();
        Assert.Equal("# Task", messages[0].Message.GetProperty("content").GetString());
        var article = messages[1].Message.GetProperty("articles")[0];
        Assert.Equal(("news", "Call Ada", "Ada's first order", "https://crm.example.com/c42", "https://crm.example.com/p.png"),
            (messages[1].MsgType, article.GetProperty("title").GetString(), article.GetProperty("description").GetString(),
             article.GetProperty("url").GetString(), article.GetProperty("picurl").GetString()));
    }

    [Theory]
    [InlineData("news", null, "template 'nurture/consult': a news message needs a title (subject: or the field 'title') and an absolute 'url' field")]
    [InlineData("card", null, "template 'nurture/consult': msgtype 'card' is not one this channel sends (text, markdown or news)")]
    [InlineData("text", "no body", "no rendered body: template 'nurture/consult' was not rendered (the journey folder has no templates/)")]
    public async Task AppMessage_ContentWeComCannotTake_PermanentWithoutCallingWeCom(string msgtype, string? noBody, string reason)
    {
        var result = await App().SendAsync(Message("k1", body: noBody is null ? "text" : null, fields: new() { ["msgtype"] = msgtype }), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent(reason), result);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task AppMessage_NoStaffMember_PermanentWithoutCallingWeCom()
    {
        var result = await App().SendAsync(Message("k1", traits: new() { ["name"] = "Ada" }), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("no staff member: customer c42 has no trait 'wecomStaff' and the template no 'staff' field"), result);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task AppMessage_StaffFieldOverridesTheTrait_AndAnUnknownUserIsPermanent()
    {
        var result = await App().SendAsync(Message("k1", fields: new() { ["staff"] = "wangwu" }), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("WeCom errcode 81013 (user & party & tag all invalid)"), result);
        Assert.Equal("wangwu", _server.Received.Last().Json.GetProperty("touser").GetString());
    }

    [Fact]
    public async Task AppMessage_WrongSecret_RetryableSetUpFaultNamedAsTheTokenFetch()
    {
        var result = await App(secret: "rotated-secret").SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("gettoken: WeCom errcode 40001 (invalid credential): the channel's WeCom set-up is refused"), result);
        Assert.DoesNotContain(_server.Received, r => r.Path == "/cgi-bin/message/send");
    }

    [Theory]
    [InlineData(45009, "over WeCom's rate limit")]
    [InlineData(-1, "WeCom is busy")]
    public async Task AppMessage_WeComBusyOrOverItsLimit_Retryable(int errcode, string why)
    {
        var channel = App();
        await channel.SendAsync(Message("warm-up"), CancellationToken.None);
        _server.ScriptJson($$"""{"errcode":{{errcode}},"errmsg":"scripted"}""");

        var result = await channel.SendAsync(Message("k1", body: "other"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry($"WeCom errcode {errcode} (scripted): {why}"), result);
    }

    [Fact]
    public async Task AppMessage_Http503WithRetryAfter_RetryableWithThatWait()
    {
        var channel = App();
        await channel.SendAsync(Message("warm-up"), CancellationToken.None);
        _server.ScriptStatus(503, retryAfter: "7");

        var result = await channel.SendAsync(Message("k1", body: "other"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("HTTP 503 (Service Unavailable)", TimeSpan.FromSeconds(7)), result);
    }

    [Fact]
    public async Task CustomerGroupSend_Text_CreatesATaskForTheStaffMemberToConfirm()
    {
        var result = await Customer().SendAsync(Message("k1", body: "Your new-customer coupon is waiting"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var (sender, customer, _, request) = Assert.Single(_server.Tasks);
        Assert.Equal(("zhangsan", "wm-cust-1", "single", "Your new-customer coupon is waiting"),
            (sender, customer, request.GetProperty("chat_type").GetString(), request.GetProperty("text").GetProperty("content").GetString()));
    }

    [Fact]
    public async Task CustomerGroupSend_News_IsALinkAttachment()
    {
        await Customer().SendAsync(Message("k1", body: "Try the new range", subject: "Online salon",
            fields: new() { ["msgtype"] = "news", ["url"] = "https://shop.example.com/salon" }), CancellationToken.None);

        var link = Assert.Single(_server.Tasks).Request.GetProperty("attachments")[0];
        Assert.Equal(("link", "Online salon", "Try the new range", "https://shop.example.com/salon"),
            (link.GetProperty("msgtype").GetString(), link.GetProperty("link").GetProperty("title").GetString(),
             link.GetProperty("link").GetProperty("desc").GetString(), link.GetProperty("link").GetProperty("url").GetString()));
    }

    [Fact]
    public async Task CustomerGroupSend_FifthInACalendarMonth_PermanentFromFailList_AndTheNextMonthGoesAgain()
    {
        var channel = Customer();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(DeliveryResult.Delivered, await channel.SendAsync(Message($"k{i}", body: $"post {i}"), CancellationToken.None));
        }

        var fifth = await channel.SendAsync(Message("k4", body: "post 4"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(31));
        var nextMonth = await channel.SendAsync(Message("k5", body: "post 5"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("WeCom will not send to customer 'wm-cust-1' (fail_list): not a contact of 'zhangsan', or over the monthly group-send limit"), fifth);
        Assert.Equal(DeliveryResult.Delivered, nextMonth);
        Assert.Equal(5, _server.Tasks.Count);
    }

    [Fact]
    public async Task CustomerGroupSend_MarkdownOrNoExternalUserId_PermanentWithoutCallingWeCom()
    {
        var markdown = await Customer().SendAsync(Message("k1", fields: new() { ["msgtype"] = "markdown" }), CancellationToken.None);
        var noId = await Customer().SendAsync(Message("k2", traits: new() { ["wecomStaff"] = "zhangsan" }), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("template 'nurture/consult': msgtype 'markdown' is not one this channel sends (text or news)"), markdown);
        Assert.Equal(DeliveryResult.Permanent("no WeCom external user id: customer c42 has no trait 'wecomExternalUserId'"), noId);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task GroupRobot_Text_PostsWithTheKeyAndNoToken()
    {
        var result = await Robot().SendAsync(Message("k1", body: "Today's post: spring tea tasting"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var post = Assert.Single(_server.GroupPosts);
        Assert.Equal(("text", "Today's post: spring tea tasting"), (post.GetProperty("msgtype").GetString(), post.GetProperty("text").GetProperty("content").GetString()));
        Assert.Equal(0, TokenRequests);
    }

    [Fact]
    public async Task GroupRobot_TwentyFirstPostInAMinute_RetryableAfterTheRobotsWait()
    {
        var robot = Robot();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(DeliveryResult.Delivered, await robot.SendAsync(Message($"k{i}", body: $"post {i}"), CancellationToken.None));
        }

        var limited = await robot.SendAsync(Message("k20", body: "post 20"), CancellationToken.None);
        _clock.Advance(limited.RetryAfter!.Value);
        var later = await robot.SendAsync(Message("k20", body: "post 20"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("WeCom errcode 45009 (api freq out of limit): over WeCom's rate limit", TimeSpan.FromMinutes(1)), limited);
        Assert.Equal(DeliveryResult.Delivered, later);
    }

    [Fact]
    public async Task GroupRobot_WrongKey_Permanent()
    {
        var result = await Robot(key: "removed-robot").SendAsync(Message("k1"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("WeCom errcode 93000 (invalid webhook url)"), result);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingEveryWrongProperty()
    {
        var app = Assert.Throws<ArgumentException>(() => new WeComAppMessageChannel(new WeComAppMessageChannelOptions
        {
            CorpId = " ",
            DuplicateCheckInterval = TimeSpan.FromHours(5),
        }, _client));
        var robot = Assert.Throws<ArgumentException>(() => new WeComGroupRobotChannel(new WeComGroupRobotChannelOptions(), _client));

        Assert.Contains("WeComAppMessageChannelOptions.CorpId must not be empty.", app.Message, StringComparison.Ordinal);
        Assert.Contains("WeComAppMessageChannelOptions.Secret must not be empty.", app.Message, StringComparison.Ordinal);
        Assert.Contains("WeComAppMessageChannelOptions.AgentId must be the application's agent id, a positive number (was 0).", app.Message, StringComparison.Ordinal);
        Assert.Contains("WeComAppMessageChannelOptions.DuplicateCheckInterval must be 1 second to 4 hours, or null (was 05:00:00).", app.Message, StringComparison.Ordinal);
        Assert.Contains("WeComGroupRobotChannelOptions.Key must be the robot's webhook key.", robot.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_WeComChannels_RegisteredAndCheckedAtStart()
    {
        using var root = new TempFolder();
        root.Write("journeys/nurture.yaml", TestJourneys.Nurture);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root.Path });
        builder.Services.AddJourneys(o => o.Folder = "journeys")
            .AddChannel(new RecordingChannel("*"))
            .AddWeComAppMessageChannel("wecom", o => o.CorpId = FakeWeComServer.CorpId)
            .AddWeComGroupRobotChannel("wecom-group", o => o.Key = FakeWeComServer.RobotKey);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("wecom", error.OptionsName);
        Assert.Equal(
            ["WeComAppMessageChannelOptions.Secret must not be empty.", "WeComAppMessageChannelOptions.AgentId must be the application's agent id, a positive number (was 0)."],
            error.Failures);
    }

    [Fact]
    public void Host_WeComChannels_ResolvedUnderTheirNames()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddJourneys(o => o.Folder = "journeys")
            .AddWeComAppMessageChannel("wecom", o =>
            {
                o.Url = _server.Url;
                o.CorpId = FakeWeComServer.CorpId;
                o.Secret = FakeWeComServer.Secret;
                o.AgentId = FakeWeComServer.AgentId;
            })
            .AddWeComCustomerGroupSendChannel("wecom-customer", o =>
            {
                o.CorpId = FakeWeComServer.CorpId;
                o.Secret = FakeWeComServer.Secret;
            })
            .AddWeComGroupRobotChannel("wecom-group", o => o.Key = FakeWeComServer.RobotKey);
        using var provider = services.BuildServiceProvider();

        var channels = provider.GetServices<IChannel>().ToList();

        Assert.Equal(["wecom", "wecom-customer", "wecom-group"], channels.Select(c => c.Name));
        Assert.Equal([typeof(WeComAppMessageChannel), typeof(WeComCustomerGroupSendChannel), typeof(WeComGroupRobotChannel)], channels.Select(c => c.GetType()));
    }
}
