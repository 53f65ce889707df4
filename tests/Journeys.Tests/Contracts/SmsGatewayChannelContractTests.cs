using Journeys.Channels;
using Journeys.Testing;
using Journeys.Tests.Channels;
using Microsoft.AspNetCore.WebUtilities;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="SmsGatewayChannel"/> keeps the channel contract against a real Kestrel gateway on loopback; the
/// gateway reads the form's text field. An SMS has no subject.</summary>
public sealed class SmsGatewayChannelContractTests : HttpChannelContractTests<SmsGatewayChannel>
{
    protected override bool CarriesSubject => false;

    private protected override SmsGatewayChannel Channel() => new(Harness.Configure(new SmsGatewayChannelOptions()), Harness.Client);

    private protected override string Read(ReceivedRequest request) => QueryHelpers.ParseQuery(request.Text)["text"].ToString();
}
