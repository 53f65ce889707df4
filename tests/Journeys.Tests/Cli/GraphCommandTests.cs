using Journeys.Language.Graph;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys graph &lt;folder&gt; [--journey ID] [--format mermaid|dot]</c>.</summary>
public sealed class GraphCommandTests : IDisposable
{
    private const string Welcome = """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            then:
              - after: 1d
                goto: end
        """;

    private readonly TempFolder _folder = new();

    public GraphCommandTests()
    {
        _folder.Write("new-customer-nurture.yaml", SpecDocument.Journey);
        _folder.Write("policy.yaml", SpecDocument.Policy);
        _folder.Write("welcome.yaml", Welcome);
    }

    public void Dispose() => _folder.Dispose();

    private static string Mermaid(string yaml) => JourneyGraph.ToMermaid(JourneyLoader.LoadYaml(("j.yaml", yaml)).ThrowIfInvalid().Journeys.Single());

    [Fact]
    public void Graph_Folder_PrintsEveryJourneyAsMermaidInFileOrder()
    {
        var result = Support.Cli.Run("graph", _folder.Path);

        Assert.Equal((0, ""), (result.Exit, result.Err));
        var expected = "%% journey new-customer-nurture v1\n" + Mermaid(SpecDocument.Journey) +
                       Environment.NewLine +
                       "%% journey welcome v1\n" + Mermaid(Welcome);
        Assert.Equal(expected, result.Out);
    }

    [Fact]
    public void Graph_WithJourney_PrintsOnlyThatJourney()
    {
        var result = Support.Cli.Run("graph", _folder.Path, "--journey", "welcome");

        Assert.Equal((0, "%% journey welcome v1\n" + Mermaid(Welcome), ""), (result.Exit, result.Out, result.Err));
        Assert.Contains("\thello --> completed : after 1d", result.OutLines);
    }

    [Fact]
    public void Graph_FormatDot_PrintsADigraph()
    {
        var result = Support.Cli.Run("graph", _folder.Path, "--journey", "new-customer-nurture", "--format", "dot");

        Assert.Equal((0, ""), (result.Exit, result.Err));
        Assert.Equal("// journey new-customer-nurture v1", result.OutLines[0]);
        Assert.Equal("digraph {", result.OutLines[1]);
        Assert.Contains("\"guide\" -> \"consult\" [style=\"solid\", label=\"after 7d\"];", result.OutLines);
    }

    [Fact]
    public void Graph_FormatMermaidExplicitly_IsTheDefault()
    {
        Assert.Equal(Support.Cli.Run("graph", _folder.Path), Support.Cli.Run("graph", _folder.Path, "--format", "mermaid"));
    }

    [Fact]
    public void Graph_UnknownJourney_NamesTheJourneysOnStderrAndExits2()
    {
        var result = Support.Cli.Run("graph", _folder.Path, "--journey", "nope");

        Assert.Equal((2, ""), (result.Exit, result.Out));
        Assert.Equal(["journeys: no journey 'nope'; journeys are new-customer-nurture, welcome"], result.ErrLines);
    }

    [Fact]
    public void Graph_UnknownFormat_IsWrongUsageAndExits2()
    {
        var result = Support.Cli.Run("graph", _folder.Path, "--format", "svg");

        Assert.Equal((2, ""), (result.Exit, result.Out));
        Assert.Equal("Run 'journeys --help' for usage.", result.ErrLines[^1]);
    }

    [Fact]
    public void Graph_BrokenFolder_PrintsTheErrorsNotAGraphAndExits1()
    {
        var broken = _folder.Write("zz-broken.yaml", """
            journey: broken
            entry: { on: signed_up }
            start: a
            steps:
              a:
                then: []
            """);

        var result = Support.Cli.Run("graph", _folder.Path);

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.Equal([$"{broken}:6:11: step 'a' has a 'then' with no transition: customers could never leave it (remove 'then' to end the journey here)"], result.ErrLines);
    }
}
