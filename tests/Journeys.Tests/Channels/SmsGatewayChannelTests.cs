using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;
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
            o.RenderText = m => $"Hi {m.CustomerId}: double points today & tomorrow";
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
            o.RenderText = _ => "您的双倍积分已到账";
        });

        await _h.SendAsync(channel, HttpChannelHarness.Message("k1"));

        var request = Assert.Single(_h.Receiver.Received);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Contains("您的双倍积分已到账", request.Text);
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(request.Body)!;
        Assert.Equal(
            new Dictionary<string, string> { ["to"] = "+8613800138000", ["text"] = "您的双倍积分已到账", ["clientRef"] = "k1" },
            fields);
    }

    [Fact]
    public async Task SmsGatewayChannel_DefaultText_IsTheTemplateName()
    {
        await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        var form = QueryHelpers.ParseQuery(Assert.Single(_h.Receiver.Received).Text);
        Assert.Equal("value-boost/double-points", form["text"].ToString());
        Assert.False(form.ContainsKey("from"));
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
    public async Task SmsGatewayChannel_GatewayFaults_RetriesWithTheSameKeyAndSendsOnce()
    {
        _h.Receiver.Script(Reply.Status(503, retryAfter: "2"), Reply.AcceptThenAbort, Reply.Stall);

        var result = await _h.SendAsync(Channel(), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Equal(4, _h.Receiver.Received.Count);
        Assert.All(_h.Receiver.Received, r => Assert.Equal("k1", r.IdempotencyKey));
        Assert.Equal(1, _h.Receiver.Processed("k1"));
        Assert.Equal(TimeSpan.FromSeconds(2), _h.Waits[0]);
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

        var result = await _h.SendAsync(Channel(o => o.MaxRetries = 1), HttpChannelHarness.Message("k1"));

        Assert.Equal(DeliveryResult.Retry("HTTP 502 (Bad Gateway), gave up after 2 attempts"), result);
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
            RenderText = null!,
            BodyFormat = (SmsBodyFormat)7,
        });

        var e = Assert.Throws<ArgumentException>(() => new SmsGatewayChannel(options, _h.Client));

        foreach (var expected in new[]
        {
            "SmsGatewayChannelOptions.BodyFormat must be Form or Json (was 7).",
            "SmsGatewayChannelOptions.ToField must not be empty.",
            "SmsGatewayChannelOptions.SenderField must not be empty.",
            "SmsGatewayChannelOptions.PhoneTrait must not be empty.",
            "SmsGatewayChannelOptions.RenderText must not be null.",
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
