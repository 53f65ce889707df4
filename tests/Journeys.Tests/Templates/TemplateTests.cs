using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Diagnostics;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Templates;

public sealed class TemplateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public TemplateTests() => _folder.Write("welcome.yaml", """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send:
              - { channel: push, template: welcome/hello }
              - { channel: email, template: welcome/hello }
        """);

    public void Dispose() => _folder.Dispose();

    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private (List<JourneyDecision> Decisions, RecordingChannel Channel) Run(Dictionary<string, object?>? traits = null)
    {
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var channel = new RecordingChannel();
        var decisions = new Simulator(catalog, channel).Run(
        [
            new SegmentInput(1, T.AddMinutes(-1), null, new CustomerProfile("c1", traits ?? new() { ["firstName"] = "Li" })),
            new SegmentInput(2, T, new CustomerEvent("c1", "signed_up", T, new Dictionary<string, object?> { ["source"] = "app" }), null),
        ], T);
        return (decisions, channel);
    }

    [Fact]
    public void Send_WithTemplateAndChannelVariant_RendersCustomerEventAndJourney()
    {
        _folder.Write("templates/welcome/hello.liquid", "Hi {{ customer.firstName }} from {{ event.source }} ({{ journey.id }}/{{ journey.step }})");
        _folder.Write("templates/welcome/hello.email.liquid", """
            ---
            subject: "Welcome, {{ customer.firstName }}"
            ---
            <p>Dear {{ customer.firstName | default: "customer" }}</p>
            """);

        var (_, channel) = Run();

        var push = channel.Messages.Single(m => m.Channel == "push");
        Assert.Equal("Hi Li from app (welcome/hello)", push.Body);
        Assert.Null(push.Subject);
        var email = channel.Messages.Single(m => m.Channel == "email");
        Assert.Equal("Welcome, Li", email.Subject);
        Assert.Equal("<p>Dear Li</p>", email.Body!.Trim());
    }

    [Fact]
    public void Load_TemplateMissing_IsAnErrorAtTheSend()
    {
        _folder.Write("templates/other.liquid", "x");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var errors = catalog.Diagnostics.Where(d => d.Code == DiagnosticCodes.Template).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(7, errors[0].Location.Line);
        Assert.Equal("template 'welcome/hello' not found: expected templates/welcome/hello.liquid (or templates/welcome/hello.push.liquid)", errors[0].Message);
    }

    [Fact]
    public void Load_TemplateMissingInAJourneyWithAnotherError_IsReportedToo()
    {
        _folder.Write("templates/other.liquid", "x");
        var path = _folder.Write("broken.yaml", """
            journey: broken
            entry: { on: signed_up, if: "custmer.x == 1" }
            start: a
            steps:
              a:
                send: { channel: push, template: missing/t }
            """);

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var errors = catalog.Diagnostics.Where(d => d.Location.File == path).ToList();
        Assert.Contains(errors, d => d.Code == DiagnosticCodes.UnknownName && d.Location.Line == 2);
        var missing = Assert.Single(errors, d => d.Code == DiagnosticCodes.Template);
        Assert.Equal((6, 11), (missing.Location.Line, missing.Location.Column));
        Assert.StartsWith("template 'missing/t' not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TemplateSyntaxError_IsReportedAtItsLineAndColumn()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "line one\nHi {{ customer.firstName \n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:2:25"); // where the tag should have closed
        Assert.StartsWith("template syntax error: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TemplateSyntaxError_IsTheOnlyErrorNotAlsoTemplateNotFoundAtTheSend()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "{% if customer.vip %}VIP");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Single(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:1:25");
        Assert.StartsWith("template syntax error: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FrontMatterSyntaxError_IsReportedBelowTheOpeningLine()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "---\nsubject: \"Hi {{ customer.firstName \"\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:2:35"); // inside the quoted subject
        Assert.StartsWith("template syntax error: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFrontMatterKey_IsAnError()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "---\nsubjet: Hi\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:2:1");
        Assert.Equal("unknown front matter key 'subjet' (templates know 'subject', 'format' and 'fields')", d.Message);
    }

    [Fact]
    public void Send_FrontMatterFields_RenderedOnceAndHandedToTheChannelInTheirOrder()
    {
        _folder.Write("templates/welcome/hello.liquid", "---\nsubject: \"Welcome\"\nfields:\n  templateCode: SMS_154950909\n  param.name: \"{{ customer.firstName }}\"\n  param.source: \"{{ event.source | upcase }}\"\n---\nHi {{ customer.firstName }}");

        var (_, channel) = Run();

        var push = channel.Messages.Single(m => m.Channel == "push");
        Assert.Equal(
            [new("templateCode", "SMS_154950909"), new("param.name", "Li"), new("param.source", "APP")],
            push.Fields.ToList());
        Assert.Equal("Hi Li", push.Body);
        Assert.Equal("Welcome", push.Subject);
    }

    [Fact]
    public void Send_TemplateWithoutFields_HasNoFields()
    {
        _folder.Write("templates/welcome/hello.liquid", "Hi");

        var (_, channel) = Run();

        Assert.Equal(2, channel.Messages.Count);
        Assert.All(channel.Messages, m => Assert.Empty(m.Fields));
    }

    [Fact]
    public void Load_FrontMatterFieldsNotAMapping_IsAnErrorAtTheValue()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "---\nfields: [a, b]\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:2:9");
        Assert.Equal("front matter 'fields' must be a mapping of names to text (for example 'templateCode: SMS_1234')", d.Message);
    }

    [Fact]
    public void Load_FrontMatterFieldNotText_IsAnErrorAtTheValue()
    {
        var path = _folder.Write("templates/welcome/hello.liquid", "---\nfields:\n  params: { a: 1 }\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Diagnose.Has(catalog, Diagnose.Error, DiagnosticCodes.Template, $"{path}:3:11");
        Assert.Equal("front matter field 'params' must be text, not a list or a mapping", d.Message);
    }

    [Fact]
    public void Load_FrontMatterFieldSyntaxError_IsReportedOnTheFieldsLine()
    {
        _folder.Write("templates/welcome/hello.liquid", "---\nfields:\n  code: \"{{ event.code \"\n---\nbody\n");

        var catalog = JourneyLoader.LoadFolder(_folder.Path);

        var d = Assert.Single(catalog.Diagnostics, d => d.Code == DiagnosticCodes.Template);
        Assert.Equal(3, d.Location.Line);
        Assert.StartsWith("template syntax error: ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Samples_EveryTemplateRendersForAPlainCustomer()
    {
        var catalog = JourneyLoader.LoadFolder(Path.Combine(AppContext.BaseDirectory, "samples", "journeys")).ThrowIfInvalid();
        var values = new Dictionary<string, object?> { ["id"] = "c1", ["firstName"] = "Li", ["tier"] = "normal", ["timeZone"] = "UTC" };
        foreach (var send in catalog.Journeys.SelectMany(j => j.Steps).SelectMany(s => s.Sends))
        {
            var content = catalog.Templates.Render(send.Template, send.Channel, values, new Dictionary<string, object?>(), new Dictionary<string, object?> { ["id"] = "j" },
                Journeys.Language.Templates.TemplateLimits.Default, T);
            Assert.False(string.IsNullOrWhiteSpace(content?.Body), $"{send.Template} rendered nothing");
        }
    }

    [Fact]
    public void Send_TemplateFailsToRender_IsAFailedDecisionAndNothingIsSent()
    {
        _folder.Write("templates/welcome/hello.liquid", "You have {{ customer.points | divided_by: customer.zero }} points");

        var (decisions, channel) = Run(new() { ["points"] = 10.0, ["zero"] = 0.0 });

        Assert.Empty(channel.Messages);
        var failed = decisions.Where(d => d.Kind == DecisionKind.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, d => Assert.StartsWith("template 'welcome/hello': ", d.Reason, StringComparison.Ordinal));
        Assert.All(failed, d => Assert.Equal((ReasonKind.Template, "welcome/hello", $"template 'welcome/hello': {d.Why!.Message}"),
            (d.Why!.Kind, d.Why.Template, d.Reason)));
        Assert.DoesNotContain(decisions, d => d.Kind == DecisionKind.Sent);
    }
}
