using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace Journeys.Tests.Channels;

public sealed class SmsGatewayChannelTests : IAsyncLifetime
{
    private HttpChannelHarness _h = null!;

    public async Task InitializeAsync() => _h = await HttpChannelHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SmsGatewayChannel_FormBody_PostsPhoneTextAndSenderUnderConfiguredFields()
    {
        var channel = Channel(o =>
        {
            o.ToField = "mobile";
            o.TextField = "content";
            o.SenderField = "sign";
            o.Sender = "Journeys Shop";
        });

        var result = await _h.SendAsync(channel, HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Delivered, result);
        var request = Assert.Single(_h.Receiver.Received);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal("k1", request.IdempotencyKey);
        var form = QueryHelpers.ParseQuery(request.Text);
        Assert.Equal(["mobile", "content", "sign"], form.Keys);
        Assert.Equal("+8613800138000", form["mobile"].ToString());
        Assert.Equal("Hi c42: double points today & tomorrow", form["content"].ToString());
        Assert.Equal("Journeys Shop", form["sign"].ToString());
        Assert.Null(request.Header(WebhookSignature.SignatureHeader));
    }

    [Fact]
    public async Task SmsGatewayChannel_JsonBody_PostsAFlatObjectWithTheReference()
    {
        var channel = Channel(o =>
        {
            o.BodyFormat = SmsBodyFormat.Json;
            o.ReferenceField = "clientRef";
        });

        await _h.SendAsync(channel, HttpChannelHarness.Message("k1", body: "您的双倍积分已到账"));

        var request = Assert.Single(_h.Receiver.Received);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Contains("您的双倍积分已到账", request.Text);
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(request.Body)!;
        Assert.Equal(
            new Dictionary<string, string> { ["to"] = "+8613800138000", ["text"] = "您的双倍积分已到账", ["clientRef"] = "k1" },
            fields);
    }

    [Fact]
    public async Task SmsGatewayChannel_Text_IsTheRenderedBodyNeverTheTemplateName()
    {
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        var form = QueryHelpers.ParseQuery(Assert.Single(_h.Receiver.Received).Text);
        Assert.Equal("Hi c42: double points today & tomorrow", form["text"].ToString());
        Assert.DoesNotContain("value-boost/double-points", Assert.Single(_h.Receiver.Received).Text);
        Assert.False(form.ContainsKey("from"));
    }

    [Fact]
    public async Task SmsGatewayChannel_NoRenderedBody_PermanentFailureWithoutCallingTheGateway()
    {
        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1", body: null));

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.Equal("no rendered body: template 'value-boost/double-points' was not rendered (the journey folder has no templates/)", result.Reason);
        Assert.StartsWith(SmsGatewayChannel.NoBodyReason, result.Reason);
        Assert.Empty(_h.Receiver.Received);
    }

    [Fact]
    public async Task InAnEngine_JourneyWithLiquidTemplate_TheGatewayGetsTheRenderedText()
    {
        using var folder = new TempFolder();
        folder.Write("boost.yaml", """
            journey: boost
            entry: { on: ordered }
            start: thanks
            steps:
              thanks:
                send: { channel: sms, template: boost/thanks }
            """);
        folder.Write("templates/boost/thanks.liquid", "Thanks {{ customer.name }}: order {{ event.orderId }} earns double points");
        await using var engine = new JourneyEngineBuilder().LoadFolder(folder.Path).AddChannel(Channel(), new ChannelDeliveryOptions { AttemptTimeout = null })
            .UseTimeProvider(_h.Clock).WithPartitions(1).Build().Start();

        await engine.IdentifyAsync(new CustomerProfile("c42", new Dictionary<string, object?> { ["name"] = "Ada", ["phone"] = "+4915100000000" }));
        await engine.PublishAsync(new CustomerEvent("c42", "ordered", properties: new Dictionary<string, object?> { ["orderId"] = "o-17" }));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var form = QueryHelpers.ParseQuery(Assert.Single(_h.Receiver.Received).Text);
        Assert.Equal("Thanks Ada: order o-17 earns double points", form["text"].ToString());
        Assert.Equal("+4915100000000", form["to"].ToString());
    }

    [Fact]
    public async Task SmsGatewayChannel_PhoneInAnotherTraitAsNumber_IsSentAsText()
    {
        var traits = new Dictionary<string, object?> { ["mobile"] = 8613800138000L };

        await _h.SendAsync(Channel(o => o.PhoneTrait = "mobile"), HttpChannelHarness.Message("k1", traits));

        Assert.Equal("8613800138000", QueryHelpers.ParseQuery(Assert.Single(_h.Receiver.Received).Text)["to"].ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task SmsGatewayChannel_NoPhone_PermanentFailureWithoutCallingTheGateway(string? phone)
    {
        var traits = new Dictionary<string, object?> { ["tier"] = "ordinary" };
        if (phone is not null)
        {
            traits["phone"] = phone;
        }

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1", traits));

        Assert.Equal(DeliveryResult.Permanent("no phone"), result);
        Assert.Empty(_h.Receiver.Received);
    }

    [Fact]
    public async Task SmsGatewayChannel_503WithRetryAfter_OneAttemptReturnsRetryWithThatWait()
    {
        _h.Receiver.Script(Reply.Status(503, retryAfter: "2"));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Retry("HTTP 503 (Service Unavailable)", TimeSpan.FromSeconds(2)), result);
        Assert.Equal("k1", Assert.Single(_h.Receiver.Received).IdempotencyKey);
    }

    [Fact]
    public async Task SmsGatewayChannel_GatewayRefuses_PermanentFailureWithItsAnswer()
    {
        _h.Receiver.Script(Reply.Status(400));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Permanent("HTTP 400 (Bad Request): scripted 400"), result);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task SmsGatewayChannel_GatewayKeepsFailing_RetryableFailure()
    {
        _h.Receiver.Script(Reply.Status(502), Reply.Status(502));

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Retry("HTTP 502 (Bad Gateway)"), result);
        Assert.Single(_h.Receiver.Received);
    }

    [Fact]
    public async Task SmsGatewayChannel_Headers_CarryTheGatewayCredentials()
    {
        var options = _h.Configure(new SmsGatewayChannelOptions { Headers = { ["Authorization"] = "Basic YWNjb3VudDprZXk=" } });

        await _h.SendAsync(new SmsGatewayChannel(options, _h.Client), HttpChannelHarness.Message("k1"));

        Assert.Equal("Basic YWNjb3VudDprZXk=", Assert.Single(_h.Receiver.Received).Header("Authorization"));
    }

    [Fact]
    public void SmsGatewayChannelOptions_Invalid_ThrowsNamingEveryWrongProperty()
    {
        var options = _h.Configure(new SmsGatewayChannelOptions
        {
            ToField = "",
            TextField = "to",
            Sender = "shop",
            SenderField = " ",
            PhoneTrait = "",
            BodyFormat = (SmsBodyFormat)7,
        });

        var e = Assert.Throws<ArgumentException>(() => new SmsGatewayChannel(options, _h.Client));

        foreach (var expected in new[]
        {
            "SmsGatewayChannelOptions.BodyFormat must be Form or Json (was 7).",
            "SmsGatewayChannelOptions.ToField must not be empty.",
            "SmsGatewayChannelOptions.SenderField must not be empty.",
            "SmsGatewayChannelOptions.PhoneTrait must not be empty.",
        })
        {
            Assert.Contains(expected, e.Message);
        }
    }

    [Fact]
    public void SmsGatewayChannelOptions_TwoFieldsWithOneName_SaysWhichClash()
    {
        var options = _h.Configure(new SmsGatewayChannelOptions { TextField = "to" });

        var e = Assert.Throws<ArgumentException>(() => new SmsGatewayChannel(options, _h.Client));

        Assert.Contains("SmsGatewayChannelOptions.TextField must differ from ToField (both are 'to').", e.Message);
    }

    private SmsGatewayChannel Channel(Action<SmsGatewayChannelOptions>? configure = null)
    {
        var options = _h.Configure(new SmsGatewayChannelOptions());
        configure?.Invoke(options);
        return new SmsGatewayChannel(options, _h.Client);
    }
}
