using System.Text.Json;
using Journeys.Channels;
using Journeys.Delivery;

namespace Journeys.Tests.Channels;

public sealed class FileAndConsoleChannelTests
{
    private static OutboundMessage Message(string key) => new()
    {
        IdempotencyKey = key,
        Channel = "push",
        Template = "nurture/guide",
        CustomerId = "c1",
        JourneyId = "nurture",
        JourneyVersion = 1,
        Step = "guide",
        Timestamp = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task JsonLinesFileChannel_TwoMessages_AppendsOneJsonObjectPerLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"journeys-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var channel = new JsonLinesFileChannel(path, "push"))
            {
                Assert.Equal(DeliveryStatus.Delivered, (await channel.SendAsync(Message("k1"), default)).Status);
                await channel.SendAsync(Message("k2"), default);
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(2, lines.Length);
            using var doc = JsonDocument.Parse(lines[1]);
            Assert.Equal("k2", doc.RootElement.GetProperty("idempotencyKey").GetString());
            Assert.Equal("nurture/guide", doc.RootElement.GetProperty("template").GetString());
            Assert.Equal("marketing", doc.RootElement.GetProperty("category").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ConsoleChannel_Message_WritesOneReadableLine()
    {
        var writer = new StringWriter();
        var channel = new ConsoleChannel("push", writer);
        await channel.SendAsync(Message("k1"), default);
        Assert.Equal("2026-01-05T10:00:00Z [push] c1 <- nurture/guide (nurture/guide)" + Environment.NewLine, writer.ToString());
    }
}
