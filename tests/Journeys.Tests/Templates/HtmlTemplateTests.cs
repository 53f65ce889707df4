using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.Persistence;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Templates;

/// <summary>A template says it is HTML (front matter <c>format: html</c>): customer data in it is HTML-encoded and the
/// message is marked HTML. Every other template is plain text, output as it is.</summary>
public sealed class HtmlTemplateTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private const string Hostile = "<script>alert('x')</script> & \"Ada\"";
    private readonly TempFolder _folder = new();

    public HtmlTemplateTests() => _folder.Write("welcome.yaml", """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send: { channel: email, template: hello }
        """);

    public void Dispose() => _folder.Dispose();

    private OutboundMessage RunOne(string template)
    {
        _folder.Write("templates/hello.liquid", template);
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var channel = new RecordingChannel();
        new Simulator(catalog, channel).Run(
        [
            new SegmentInput(1, T.AddMinutes(-1), null, new CustomerProfile("c1", new Dictionary<string, object?> { ["name"] = Hostile })),
            new SegmentInput(2, T, new CustomerEvent("c1", "signed_up", T, new Dictionary<string, object?>()), null),
        ], T);
        return Assert.Single(channel.Messages);
    }

    [Fact]
    public void HtmlTemplate_CustomerData_IsEncodedAndTheMessageIsHtml()
    {
        var message = RunOne("---\nformat: html\nsubject: \"Hi {{ customer.name }}\"\n---\n<p>Dear {{ customer.name }}</p>");

        Assert.True(message.BodyIsHtml);
        Assert.Equal("<p>Dear &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Ada&quot;</p>", message.Body);
        Assert.Equal("Hi " + Hostile, message.Subject); // a subject is a header: plain text
    }

    [Fact]
    public void PlainTemplate_CustomerData_IsAsWrittenAndTheMessageIsNotHtml()
    {
        var message = RunOne("<p>Dear {{ customer.name }}</p>");

        Assert.False(message.BodyIsHtml);
        Assert.Equal("<p>Dear " + Hostile + "</p>", message.Body);
    }

    [Fact]
    public void HtmlFlag_SurvivesTheStoresOutbox()
    {
        var message = RunOne("---\nformat: html\n---\n<p>{{ customer.name }}</p>");

        var again = RecordCodec.Decode(RecordCodec.Encode(message));

        Assert.True(again.BodyIsHtml);
        Assert.False(RecordCodec.Decode(RecordCodec.Encode(message with { BodyIsHtml = false })).BodyIsHtml);
    }

    [Fact]
    public void Load_UnknownFormat_IsAnErrorAtTheValue()
    {
        var path = _folder.Write("templates/hello.liquid", "---\nformat: markdown\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:2:9");
        Assert.Equal("front matter 'format' is 'html' or 'text' (the default)", d.Message);
    }
}
