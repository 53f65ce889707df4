using Journeys.Channels;
using Journeys.Tests.Channels;
using Microsoft.AspNetCore.WebUtilities;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="SmsGatewayChannel"/> keeps the channel contract against a real Kestrel gateway on loopback (one
/// answering 503 for the failing case, one that never answers for the stalling case). An SMS has no subject.</summary>
public sealed class SmsGatewayChannelContractTests : ChannelContractTests<SmsGatewayChannel>
{
    private HttpChannelHarness _h = null!;

    protected override bool CarriesSubject => false;

    public override async Task InitializeAsync() => _h = await HttpChannelHarness.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _h.DisposeAsync();
    }

    protected override ValueTask<SmsGatewayChannel> CreateChannelAsync() => ValueTask.FromResult(Channel());

    protected override ValueTask<SmsGatewayChannel?> CreateFailingChannelAsync()
    {
        _h.Receiver.Script(Reply.Status(503));
        return ValueTask.FromResult<SmsGatewayChannel?>(Channel());
    }

    protected override ValueTask<SmsGatewayChannel?> CreateStallingChannelAsync()
    {
        _h.Receiver.Script(Reply.Stall);
        return ValueTask.FromResult<SmsGatewayChannel?>(Channel());
    }

    protected override async Task WhenSendStalledAsync() => await _h.Receiver.Stalls.ReadAsync();

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(_h.Receiver.Received.Where(r => r.IdempotencyKey == idempotencyKey)
            .Select(r => QueryHelpers.ParseQuery(r.Text)["text"].ToString()).ToList());

    private SmsGatewayChannel Channel() => new(_h.Configure(new SmsGatewayChannelOptions()), _h.Client);
}
