using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.State;
using Journeys.Tests.Runtime;
using Journeys.Tests.Support;

namespace Journeys.Tests.Channels.Providers;

/// <summary>The Aliyun and Tencent Cloud SMS channels against fakes that verify their signatures and keep their
/// documented codes: the template code and parameters from the front matter, every code mapped.</summary>
public sealed class SignedSmsChannelTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private FakeAliyunSmsServer _aliyun = null!;
    private FakeTencentSmsServer _tencent = null!;

    public async Task InitializeAsync()
    {
        _aliyun = new FakeAliyunSmsServer(_clock);
        _tencent = new FakeTencentSmsServer(_clock);
        await _aliyun.StartAsync();
        await _tencent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _aliyun.DisposeAsync();
        await _tencent.DisposeAsync();
    }

    private static OutboundMessage Message(string key, Dictionary<string, string> fields, string phone = "13800138000") => new()
    {
        IdempotencyKey = key,
        Channel = "sms",
        Template = "winback/coupon",
        CustomerId = "c42",
        JourneyId = "winback",
        JourneyVersion = 1,
        Step = "coupon",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
        Body = "Ada, your coupon WB-10 is waiting",
        Fields = fields,
        Traits = new Dictionary<string, object?> { ["phone"] = phone },
    };

    private static Dictionary<string, string> AliyunFields(string code = "SMS_154950909") =>
        new() { ["templateCode"] = code, ["param.name"] = "Ada", ["param.coupon"] = "WB-10" };

    private static Dictionary<string, string> TencentFields(string id = "1234") =>
        new() { ["templateId"] = id, ["param.2"] = "WB-10", ["param.1"] = "Ada" };

    private AliyunSmsChannel Aliyun(string secret = FakeAliyunSmsServer.AccessKeySecret, TimeProvider? clock = null) => new(new AliyunSmsChannelOptions
    {
        Url = _aliyun.Url,
        AccessKeyId = FakeAliyunSmsServer.AccessKeyId,
        AccessKeySecret = secret,
        SignName = FakeAliyunSmsServer.SignName,
        TimeProvider = clock ?? _clock,
    }, _client);

    private TencentSmsChannel Tencent(string key = FakeTencentSmsServer.SecretKey, TimeProvider? clock = null) => new(new TencentSmsChannelOptions
    {
        Url = _tencent.Url,
        SecretId = FakeTencentSmsServer.SecretId,
        SecretKey = key,
        SmsSdkAppId = FakeTencentSmsServer.AppId,
        SignName = FakeTencentSmsServer.SignName,
        TimeProvider = clock ?? _clock,
    }, _client);

    /// <summary>What both providers' channels share (TemplateSmsDelivery): the idempotency key and the host's headers on
    /// every request; a 2xx answer that is not the provider's JSON retried, naming the provider; a 4xx without JSON refused
    /// with its status and body.</summary>
    [Theory]
    [InlineData("aliyun", "Aliyun answered without a Code")]
    [InlineData("tencent", "Tencent Cloud answered without a Response")]
    public async Task EitherProvider_KeyAndHostsHeadersSent_AnswerNotTheProvidersRetried_Plain400Refused(string provider, string unanswered)
    {
        await using var receiver = await ScriptedReceiver.StartAsync();
        receiver.Script(Reply.Answer("""{"unexpected":true}"""), Reply.Status(400));
        IChannel channel = provider == "aliyun"
            ? new AliyunSmsChannel(new AliyunSmsChannelOptions
            {
                Url = receiver.Url, AccessKeyId = "id", AccessKeySecret = "secret", SignName = "Shop", Headers = { ["X-Tenant"] = "shop-1" }, TimeProvider = _clock,
            }, _client)
            : new TencentSmsChannel(new TencentSmsChannelOptions
            {
                Url = receiver.Url, SecretId = "id", SecretKey = "key", SmsSdkAppId = "1400000000", SignName = "Shop", Headers = { ["X-Tenant"] = "shop-1" },
                TimeProvider = _clock,
            }, _client);
        var fields = provider == "aliyun" ? AliyunFields() : TencentFields();

        var first = await channel.SendAsync(Message("k1", fields), CancellationToken.None);
        var second = await channel.SendAsync(Message("k2", fields), CancellationToken.None);

        Assert.Equal((DeliveryStatus.RetryableFailure, unanswered), (first.Status, first.Reason));
        Assert.Equal((DeliveryStatus.PermanentFailure, "HTTP 400 (Bad Request): scripted 400"), (second.Status, second.Reason)); // the body, not JSON
        Assert.Equal([("k1", "shop-1"), ("k2", "shop-1")], receiver.Received.Select(r => (r.IdempotencyKey, r.Header("X-Tenant"))));
    }

    [Fact]
    public async Task Aliyun_SignedRequest_SendsTheTemplateCodeParamsSignAndOutId()
    {
        var result = await Aliyun().SendAsync(Message("k1", AliyunFields()), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var sent = Assert.Single(_aliyun.Sent);
        Assert.Equal(("13800138000", "Journeys Shop", "SMS_154950909", "k1"), (sent["PhoneNumbers"], sent["SignName"], sent["TemplateCode"], sent["OutId"]));
        Assert.Equal(new Dictionary<string, string> { ["name"] = "Ada", ["coupon"] = "WB-10" }, JsonSerializer.Deserialize<Dictionary<string, string>>(sent["TemplateParam"]));
    }

    [Fact]
    public async Task Aliyun_WrongSecret_TheFakeRejectsTheSignature_RetryableSetUpFault()
    {
        var result = await Aliyun(secret: "not-the-secret").SendAsync(Message("k1", AliyunFields()), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("Aliyun SMS SignatureDoesNotMatch (fake: SignatureDoesNotMatch): the channel's Aliyun set-up is refused"), result);
        Assert.Empty(_aliyun.Sent);
    }

    [Fact]
    public async Task Aliyun_ClockFarFromAliyuns_TimestampExpired()
    {
        var skewed = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_clock.GetUtcNow().AddMinutes(20));

        var result = await Aliyun(clock: skewed).SendAsync(Message("k1", AliyunFields()), CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.StartsWith("Aliyun SMS InvalidTimeStamp.Expired", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aliyun_FlowControlForTheNumber_RetryableAfterAMinute()
    {
        _aliyun.PerMinuteLimit = 1;
        var channel = Aliyun();
        await channel.SendAsync(Message("k1", AliyunFields()), CancellationToken.None);

        var limited = await channel.SendAsync(Message("k2", AliyunFields()), CancellationToken.None);
        _clock.Advance(limited.RetryAfter!.Value);
        var later = await channel.SendAsync(Message("k2", AliyunFields()), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("Aliyun SMS isv.BUSINESS_LIMIT_CONTROL (fake: isv.BUSINESS_LIMIT_CONTROL): rate-limited for this number", TimeSpan.FromMinutes(1)), limited);
        Assert.Equal(DeliveryResult.Delivered, later);
    }

    [Theory]
    [InlineData("SMS_999", "13800138000", "Aliyun SMS isv.SMS_TEMPLATE_ILLEGAL (fake: isv.SMS_TEMPLATE_ILLEGAL)")]
    [InlineData("SMS_154950909", "12345", "Aliyun SMS isv.MOBILE_NUMBER_ILLEGAL (fake: isv.MOBILE_NUMBER_ILLEGAL)")]
    public async Task Aliyun_MessageAliyunRefuses_Permanent(string code, string phone, string reason)
    {
        var result = await Aliyun().SendAsync(Message("k1", AliyunFields(code), phone), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent(reason), result);
    }

    [Fact]
    public async Task Aliyun_MissingTemplateParameter_PermanentFromAliyun()
    {
        var fields = AliyunFields();
        fields.Remove("param.coupon");

        var result = await Aliyun().SendAsync(Message("k1", fields), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("Aliyun SMS isv.TEMPLATE_MISSING_PARAMETERS (fake: isv.TEMPLATE_MISSING_PARAMETERS)"), result);
    }

    [Fact]
    public async Task Aliyun_NoTemplateCodeField_PermanentWithoutCallingAliyun()
    {
        var result = await Aliyun().SendAsync(Message("k1", new() { ["param.name"] = "Ada" }), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("no SMS template: template 'winback/coupon' has no 'templateCode' in its front matter fields"), result);
        Assert.Empty(_aliyun.Received);
    }

    [Fact]
    public async Task Aliyun_Http503WithRetryAfter_Retryable()
    {
        _aliyun.ScriptStatus(503, retryAfter: "3");

        var result = await Aliyun().SendAsync(Message("k1", AliyunFields()), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("HTTP 503 (Service Unavailable)", TimeSpan.FromSeconds(3)), result);
    }

    [Fact]
    public async Task InAnEngine_FrontMatterMapsTheJourneyTemplateToAliyunsTemplate()
    {
        using var folder = new TempFolder();
        folder.Write("winback.yaml", """
            journey: winback
            entry: { on: dormant }
            start: coupon
            steps:
              coupon:
                send: { channel: sms, template: winback/coupon }
            """);
        folder.Write("templates/winback/coupon.liquid", """
            ---
            fields:
              templateCode: SMS_154950909
              param.name: "{{ customer.name }}"
              param.coupon: "{{ event.coupon }}"
            ---
            {{ customer.name }}, your coupon {{ event.coupon }} is waiting
            """);
        var options = new AliyunSmsChannelOptions
        {
            Name = "sms",
            Url = _aliyun.Url,
            AccessKeyId = FakeAliyunSmsServer.AccessKeyId,
            AccessKeySecret = FakeAliyunSmsServer.AccessKeySecret,
            SignName = FakeAliyunSmsServer.SignName,
            TimeProvider = _clock,
        };
        await using var engine = new JourneyEngineBuilder().LoadFolder(folder.Path)
            .AddChannel(new AliyunSmsChannel(options, _client), new ChannelDeliveryOptions { AttemptTimeout = null })
            .UseTimeProvider(_clock).WithPartitions(1).Build().Start();

        await engine.IdentifyAsync(new CustomerProfile("c42", new Dictionary<string, object?> { ["name"] = "李雷", ["phone"] = "13900139000" }));
        await engine.PublishAsync(new CustomerEvent("c42", "dormant", properties: new Dictionary<string, object?> { ["coupon"] = "WB-10" }));
        await engine.DrainAsync().WaitAsync(EngineHarness.SafetyTimeout);

        var sent = Assert.Single(_aliyun.Sent);
        Assert.Equal(new Dictionary<string, string> { ["name"] = "李雷", ["coupon"] = "WB-10" }, JsonSerializer.Deserialize<Dictionary<string, string>>(sent["TemplateParam"]));
        Assert.Equal("13900139000", sent["PhoneNumbers"]);
    }

    [Fact]
    public async Task Tencent_SignedRequest_SendsTheTemplateIdAndNumberedParamsInOrder()
    {
        var result = await Tencent().SendAsync(Message("k1", TencentFields(), phone: "+8613800138000"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var sent = Assert.Single(_tencent.Sent);
        Assert.Equal(("1234", "Journeys Shop", "1400006666", "k1", "+8613800138000"),
            (sent.GetProperty("TemplateId").GetString(), sent.GetProperty("SignName").GetString(), sent.GetProperty("SmsSdkAppId").GetString(),
             sent.GetProperty("SessionContext").GetString(), sent.GetProperty("PhoneNumberSet")[0].GetString()));
        Assert.Equal(["Ada", "WB-10"], sent.GetProperty("TemplateParamSet").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Tencent_WrongKey_TheFakeRejectsTheSignature_RetryableSetUpFault()
    {
        var result = await Tencent(key: "not-the-key").SendAsync(Message("k1", TencentFields(), phone: "+8613800138000"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("Tencent Cloud SMS AuthFailure.SignatureFailure (fake: AuthFailure.SignatureFailure): the channel's Tencent Cloud set-up is refused"), result);
        Assert.Empty(_tencent.Sent);
    }

    [Fact]
    public async Task Tencent_SecondMessageToANumberWithin30Seconds_RetryableAfter30Seconds()
    {
        var channel = Tencent();
        await channel.SendAsync(Message("k1", TencentFields(), phone: "+8613800138000"), CancellationToken.None);

        var limited = await channel.SendAsync(Message("k2", TencentFields(), phone: "+8613800138000"), CancellationToken.None);
        _clock.Advance(limited.RetryAfter!.Value);
        var later = await channel.SendAsync(Message("k2", TencentFields(), phone: "+8613800138000"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry("Tencent Cloud SMS LimitExceeded.PhoneNumberThirtySecondLimit (fake: LimitExceeded.PhoneNumberThirtySecondLimit): rate-limited for this number", TimeSpan.FromSeconds(30)), limited);
        Assert.Equal(DeliveryResult.Delivered, later);
    }

    [Theory]
    [InlineData("13800138000", "1234", "Tencent Cloud SMS InvalidParameterValue.IncorrectPhoneNumber (fake: InvalidParameterValue.IncorrectPhoneNumber)")]
    [InlineData("+8613800138000", "5678", "Tencent Cloud SMS FailedOperation.TemplateParamSetNotMatchApprovedTemplate (fake: FailedOperation.TemplateParamSetNotMatchApprovedTemplate)")]
    public async Task Tencent_MessageTencentRefuses_Permanent(string phone, string template, string reason)
    {
        var result = await Tencent().SendAsync(Message("k1", TencentFields(template), phone), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent(reason), result);
    }

    [Fact]
    public async Task Tencent_ParamsNotNumberedFromOne_PermanentWithoutCallingTencent()
    {
        var result = await Tencent().SendAsync(Message("k1", new() { ["templateId"] = "1234", ["param.1"] = "Ada", ["param.3"] = "x" }, "+8613800138000"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Permanent("template 'winback/coupon': Tencent Cloud template parameters are numbered fields param.1, param.2... without gaps (got param.1, param.3)"), result);
        Assert.Empty(_tencent.Received);
    }

    [Fact]
    public void Options_Invalid_ThrowNamingEveryWrongProperty()
    {
        var aliyun = Assert.Throws<ArgumentException>(() => new AliyunSmsChannel(new AliyunSmsChannelOptions { SignName = " " }, _client));
        var tencent = Assert.Throws<ArgumentException>(() => new TencentSmsChannel(new TencentSmsChannelOptions { Region = "" }, _client));

        Assert.Contains("AliyunSmsChannelOptions.AccessKeyId must not be empty.", aliyun.Message, StringComparison.Ordinal);
        Assert.Contains("AliyunSmsChannelOptions.AccessKeySecret must not be empty.", aliyun.Message, StringComparison.Ordinal);
        Assert.Contains("AliyunSmsChannelOptions.SignName must not be blank (null to take it from each template's 'signName' field).", aliyun.Message, StringComparison.Ordinal);
        foreach (var property in new[] { "SecretId", "SecretKey", "SmsSdkAppId", "Region" })
        {
            Assert.Contains($"TencentSmsChannelOptions.{property} must not be empty.", tencent.Message, StringComparison.Ordinal);
        }
    }
}
