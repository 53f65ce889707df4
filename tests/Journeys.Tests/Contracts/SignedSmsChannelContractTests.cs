using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Tests.Channels.Providers;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="AliyunSmsChannel"/> keeps the channel contract against <see cref="FakeAliyunSmsServer"/>. The
/// provider renders its approved template from the parameters, so the rendered body reaches it as a parameter here.</summary>
public sealed class AliyunSmsChannelContractTests : ProviderChannelContractTests<AliyunSmsChannel>
{
    private readonly FakeAliyunSmsServer _server;

    public AliyunSmsChannelContractTests() => _server = new FakeAliyunSmsServer(Clock);

    protected override bool CarriesSubject => false;

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey)
    {
        var message = base.CreateMessage(channelName, idempotencyKey);
        return message with
        {
            Fields = new Dictionary<string, string> { ["templateCode"] = "SMS_000001", ["param.text"] = message.Body ?? "" },
            Traits = new Dictionary<string, object?> { ["phone"] = "13800138000" },
        };
    }

    private protected override AliyunSmsChannel Channel() => new(new AliyunSmsChannelOptions
    {
        Url = _server.Url,
        AccessKeyId = FakeAliyunSmsServer.AccessKeyId,
        AccessKeySecret = FakeAliyunSmsServer.AccessKeySecret,
        SignName = FakeAliyunSmsServer.SignName,
        TimeProvider = Clock,
    }, Client);

    private protected override string? Read(ProviderRequest request) => request.QueryValue("TemplateParam");
}

/// <summary><see cref="TencentSmsChannel"/> keeps the channel contract against <see cref="FakeTencentSmsServer"/>.</summary>
public sealed class TencentSmsChannelContractTests : ProviderChannelContractTests<TencentSmsChannel>
{
    private readonly FakeTencentSmsServer _server;

    public TencentSmsChannelContractTests() => _server = new FakeTencentSmsServer(Clock);

    protected override bool CarriesSubject => false;

    private protected override FakeProviderServer Server => _server;

    protected override OutboundMessage CreateMessage(string channelName, string idempotencyKey)
    {
        var message = base.CreateMessage(channelName, idempotencyKey);
        return message with
        {
            Fields = new Dictionary<string, string> { ["templateId"] = "1234", ["param.1"] = message.Body ?? "", ["param.2"] = "x" },
            Traits = new Dictionary<string, object?> { ["phone"] = "+8613800138000" },
        };
    }

    private protected override TencentSmsChannel Channel() => new(new TencentSmsChannelOptions
    {
        Url = _server.Url,
        SecretId = FakeTencentSmsServer.SecretId,
        SecretKey = FakeTencentSmsServer.SecretKey,
        SmsSdkAppId = FakeTencentSmsServer.AppId,
        SignName = FakeTencentSmsServer.SignName,
        TimeProvider = Clock,
    }, Client);

    private protected override string? Read(ProviderRequest request) => request.Json.GetProperty("TemplateParamSet")[0].GetString();
}
