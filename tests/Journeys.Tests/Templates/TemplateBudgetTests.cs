using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Journeys.Language.Templates;
using Journeys.State;
using Journeys.Tests.Support;

namespace Journeys.Tests.Templates;

/// <summary>Customer data drives Liquid loops and string growth: every render keeps to its budget, and one over it is a
/// <c>failed</c> send with the reason — fast, and without unbounded memory.</summary>
public sealed class TemplateBudgetTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public TemplateBudgetTests() => _folder.Write("welcome.yaml", """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send: { channel: email, template: hello }
        """);

    public void Dispose() => _folder.Dispose();

    private (List<JourneyDecision> Decisions, RecordingChannel Channel) Run(string template, Dictionary<string, object?> traits)
    {
        _folder.Write("templates/hello.liquid", template);
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var channel = new RecordingChannel();
        var decisions = Budget.Within(() => new Simulator(catalog, channel).Run(
        [
            new SegmentInput(1, T.AddMinutes(-1), null, new CustomerProfile("c1", traits)),
            new SegmentInput(2, T, new CustomerEvent("c1", "signed_up", T, new Dictionary<string, object?>()), null),
        ], T));
        return (decisions, channel);
    }

    private static void AssertFailedWith(List<JourneyDecision> decisions, RecordingChannel channel, string reasonPart)
    {
        Assert.Empty(channel.Messages);
        var failed = Assert.Single(decisions, d => d.Kind == DecisionKind.Failed);
        Assert.Equal(ReasonKind.Template, failed.Why!.Kind);
        Assert.Contains(reasonPart, failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RangeFromATraitOfTwoBillion_FailsAtOnceWithTheStepLimit()
    {
        var (decisions, channel) = Run("{% for i in (1..customer.stars) %}*{% endfor %}", new() { ["stars"] = 2_000_000_000.0 });

        AssertFailedWith(decisions, channel, "longer than the template step limit of 100000");
    }

    [Fact]
    public void Render_LoopOverTheStepBudget_FailsWithFluidsStepLimit()
    {
        // Each range is within budget; together the nested loops run 10^8 iterations.
        var (decisions, channel) = Run("{% for i in (1..10000) %}{% for j in (1..10000) %}{% endfor %}{% endfor %}", new());

        AssertFailedWith(decisions, channel, "more than 100000 steps (the template step limit)");
    }

    [Fact]
    public void Render_StringDoublingByAssign_FailsAtTheLengthLimit()
    {
        var (decisions, channel) = Run("{% assign s = 'ab' %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}", new());

        AssertFailedWith(decisions, channel, "(the template output limit)");
    }

    [Fact]
    public void Render_StringDoublingByCapture_FailsAtTheLengthLimit()
    {
        var (decisions, channel) = Run("{% assign s = 'ab' %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}", new());

        AssertFailedWith(decisions, channel, "(the template output limit)");
    }

    [Fact]
    public void Render_QuadraticJoin_IsRefusedBeforeItIsBuilt()
    {
        // Joining a text's characters with the text itself: n + (n - 1) * n characters, 10^10 for a 100 KB trait.
        var (decisions, channel) = Run("{{ customer.text | split: '' | join: customer.text }}", new() { ["text"] = new string('x', 100_000) });

        AssertFailedWith(decisions, channel, "'join' builds a string of more than 1048576 characters");
    }

    [Fact]
    public void Render_QuadraticReplace_IsRefusedBeforeItIsBuilt()
    {
        var (decisions, channel) = Run("{{ customer.text | replace: 'x', customer.text }}", new() { ["text"] = new string('x', 1_000_000) });

        AssertFailedWith(decisions, channel, "'replace' builds a string of more than 1048576 characters");
    }

    [Fact]
    public void Render_JoinAndReplaceWithinBudget_WorkAsLiquidSays()
    {
        var (_, channel) = Run("{{ customer.text | split: '' | join: '-' | replace: '-', '+' }}", new() { ["text"] = "abc" });

        Assert.Equal("a+b+c", Assert.Single(channel.Messages).Body);
    }

    [Fact]
    public void Render_OutputOverTheLimit_Fails()
    {
        var (decisions, channel) = Run("{% for i in (1..3) %}{{ customer.text }}{% endfor %}", new() { ["text"] = new string('x', 400_000) });

        AssertFailedWith(decisions, channel, "the output is longer than 1048576 characters");
    }

    [Fact]
    public void Render_WithinBudget_IsSentWhole()
    {
        var (_, channel) = Run("{% for i in (1..customer.stars) %}*{% endfor %}", new() { ["stars"] = 5.0 });

        Assert.Equal("*****", Assert.Single(channel.Messages).Body);
    }

    [Fact]
    public void Render_LimitsFromTheCaller_AreApplied()
    {
        _folder.Write("templates/hello.liquid", "{% for i in (1..customer.stars) %}*{% endfor %}");
        var catalog = JourneyLoader.LoadFolder(_folder.Path).ThrowIfInvalid();
        var customer = new Dictionary<string, object?> { ["stars"] = 50 };
        var none = new Dictionary<string, object?>();

        var ex = Assert.Throws<TemplateBudgetException>(() => catalog.Templates.Render("hello", "email", customer, none, none, new TemplateLimits(10, 1000), T));
        Assert.Contains("step limit of 10", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TemplateBudgetException>(() => catalog.Templates.Render("hello", "email", customer, none, none, new TemplateLimits(1000, 20), T));
        Assert.Equal(new string('*', 50), catalog.Templates.Render("hello", "email", customer, none, none, new TemplateLimits(1000, 50), T)!.Body);
    }

    [Fact]
    public void Render_Now_IsTheEnginesTimeNotTheWallClock()
    {
        var (_, channel) = Run("{{ 'now' | date: '%Y-%m-%d %H:%M' }}", new());

        Assert.Equal("2026-01-05 10:00", Assert.Single(channel.Messages).Body);
    }
}
