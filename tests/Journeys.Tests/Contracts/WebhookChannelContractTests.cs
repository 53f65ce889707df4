using System.Text.Json;
using Journeys.Channels;
using Journeys.Testing;
using Journeys.Tests.Channels;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="WebhookChannel"/> keeps the channel contract against a real Kestrel receiver on loopback; the
/// receiver reads the payload's <c>subject</c> and <c>body</c>.</summary>
public sealed class WebhookChannelContractTests : HttpChannelContractTests<WebhookChannel>
{
    private protected override WebhookChannel Channel() =>
        new(Harness.Configure(new WebhookChannelOptions { Name = "loyalty", Secret = "whsec-0123456789abcdef" }), Harness.Client);

    private protected override string Read(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return $"{json.RootElement.GetProperty("subject").GetString()}\n{json.RootElement.GetProperty("body").GetString()}";
    }
}
