using System.Text.Json;
using Journeys.Channels;
using Journeys.Tests.Channels;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="WebhookChannel"/> keeps the channel contract against a real Kestrel receiver on loopback (one
/// answering 503 for the failing case, one that never answers for the stalling case).</summary>
public sealed class WebhookChannelContractTests : ChannelContractTests<WebhookChannel>
{
    private HttpChannelHarness _h = null!;

    public override async Task InitializeAsync() => _h = await HttpChannelHarness.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _h.DisposeAsync();
    }

    protected override ValueTask<WebhookChannel> CreateChannelAsync() => ValueTask.FromResult(Channel());

    protected override ValueTask<WebhookChannel?> CreateFailingChannelAsync()
    {
        _h.Receiver.Script(Reply.Status(503));
        return ValueTask.FromResult<WebhookChannel?>(Channel());
    }

    protected override ValueTask<WebhookChannel?> CreateStallingChannelAsync()
    {
        _h.Receiver.Script(Reply.Stall);
        return ValueTask.FromResult<WebhookChannel?>(Channel());
    }

    protected override async Task WhenSendStalledAsync() => await _h.Receiver.Stalls.ReadAsync();

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(_h.Receiver.Received.Where(r => r.IdempotencyKey == idempotencyKey).Select(r =>
        {
            using var json = JsonDocument.Parse(r.Body);
            return $"{json.RootElement.GetProperty("subject").GetString()}\n{json.RootElement.GetProperty("body").GetString()}";
        }).ToList());

    private WebhookChannel Channel() => new(_h.Configure(new WebhookChannelOptions { Name = "loyalty", Secret = "whsec-0123456789abcdef" }), _h.Client);
}
