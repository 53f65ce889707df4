using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Journeys.Delivery;
using Journeys.Sample;
using Journeys.Tests.Channels.Providers;
using Journeys.Tests.Channels;

namespace Journeys.Tests.Samples;

/// <summary>The main sample's <c>--channels</c> file: a channel name routed to an adapter by configuration alone, and a
/// bad file refused with one line naming the channel and the key.</summary>
public sealed class SampleChannelsTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-sample-channels-").FullName;
    private FakeAliyunSmsServer _aliyun = null!;

    public async Task InitializeAsync()
    {
        _aliyun = new FakeAliyunSmsServer(_clock);
        await _aliyun.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _aliyun.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string File(string json)
    {
        var path = Path.Combine(_folder, $"channels-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private string AliyunSection(string extra = "") => $$"""
        "sms": {
          "adapter": "aliyun-sms",
          "Url": "{{_aliyun.Url}}",
          "AccessKeyId": "{{FakeAliyunSmsServer.AccessKeyId}}",
          "AccessKeySecret": "{{FakeAliyunSmsServer.AccessKeySecret}}",
          "SignName": "{{FakeAliyunSmsServer.SignName}}"{{extra}}
        }
        """;

    [Fact]
    public async Task SmsRoutedToAliyun_DeliversThroughTheSignedProvider()
    {
        var path = File($$"""
            // the sample's sms goes to Aliyun, in-app to the console
            { {{AliyunSection()}}, "in-app": { "adapter": "console" } }
            """);

        await using var channels = SampleChannels.TryLoad(path, _clock, TextWriter.Null);

        Assert.NotNull(channels);
        Assert.Equal(["in-app", "sms"], channels.Channels.Select(c => c.Name).Order(StringComparer.Ordinal));
        var sms = channels.Channels.Single(c => c.Name == "sms");
        var result = await sms.SendAsync(new OutboundMessage
        {
            IdempotencyKey = "sample-1",
            Channel = "sms",
            Template = "winback/coupon",
            CustomerId = "c42",
            JourneyId = "winback",
            JourneyVersion = 1,
            Step = "coupon",
            Timestamp = _clock.GetUtcNow(),
            Body = "Ada, your coupon WB-10 is waiting",
            Fields = new Dictionary<string, string> { ["templateCode"] = "SMS_154950909", ["param.name"] = "Ada", ["param.coupon"] = "WB-10" },
            Traits = new Dictionary<string, object?> { ["phone"] = "13800138000" },
        }, CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        var sent = Assert.Single(_aliyun.Sent);
        Assert.Equal("13800138000", sent["PhoneNumbers"]);
        Assert.Equal("SMS_154950909", sent["TemplateCode"]);
    }

    [Fact]
    public async Task ExampleFile_CoversEveryAdapterAndEverySampleChannel_AndLoadsOnceItsKeysAreReal()
    {
        var example = Path.Combine(Repository(), "samples", "channels.example.json");
        var sections = JsonNode.Parse(System.IO.File.ReadAllText(example), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!
            .AsObject();
        Assert.Equal(SampleChannels.Adapters.Order(StringComparer.Ordinal),
            sections.Select(s => (string)s.Value!["adapter"]!).Order(StringComparer.Ordinal));
        var sampleChannels = Directory.EnumerateFiles(Path.Combine(Repository(), "samples", "journeys"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(System.IO.File.ReadAllText(f), @"channel: *([a-z-]+)").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.Contains("sms", sampleChannels);
        Assert.All(sampleChannels, name => Assert.True(sections.ContainsKey(name), $"the example does not route the sample's channel '{name}'"));

        // The placeholders are not keys: with real (throwaway) keys and local files, every section builds its adapter.
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        sections["push"]!["PrivateKeyPem"] = rsa.ExportPkcs8PrivateKeyPem();
        sections["push-ios"]!["PrivateKeyPem"] = ec.ExportPkcs8PrivateKeyPem();
        sections["agent-task"]!["database"] = Path.Combine(_folder, "tasks.db");
        sections["messages"]!["path"] = Path.Combine(_folder, "messages.jsonl");
        var error = new StringWriter();

        await using var channels = SampleChannels.TryLoad(File(sections.ToJsonString()), _clock, error);

        Assert.Equal("", error.ToString());
        Assert.NotNull(channels);
        Assert.Equal(sections.Select(s => s.Key).Order(StringComparer.Ordinal), channels.Channels.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "samples", "channels.example.json")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("samples/channels.example.json not found above the test's folder.");
    }

    [Theory]
    [InlineData("""{ "sms": { "adapter": "carrier-pigeon" } }""", "channel 'sms', key 'adapter': 'carrier-pigeon' is not an adapter; it is one of: ")]
    [InlineData("""{ "push": { "Url": "https://example.com" } }""", "channel 'push', key 'adapter': missing")]
    [InlineData("""{ "sms": { "adapter": "aliyun-sms", "AccessKeyId": "a", "AccessKeySecret": "b", "SignName": "c", "SingName": "d" } }""",
        "channel 'sms', key 'SingName': not an option of the 'aliyun-sms' adapter (AliyunSmsChannelOptions)")]
    [InlineData("""{ "wecom": { "adapter": "wecom-app", "CorpId": "a", "Secret": "b", "AgentId": "one" } }""", "channel 'wecom', key 'AgentId': ")]
    [InlineData("""{ "sms": { "adapter": "aliyun-sms", "AccessKeyId": "a", "SignName": "c" } }""", "channel 'sms': ")]
    public void BadFile_OneLineNamingTheChannelAndTheKey(string json, string expected)
    {
        var path = File(json);
        var error = new StringWriter();

        var channels = SampleChannels.TryLoad(path, _clock, error);

        Assert.Null(channels);
        var message = error.ToString();
        Assert.StartsWith($"{path}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("   at ", message);
        Assert.Single(message.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
