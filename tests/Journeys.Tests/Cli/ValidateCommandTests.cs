using Journeys.Tests.Support;

namespace Journeys.Tests.Cli;

/// <summary><c>journeys validate &lt;folder&gt;</c>: <c>ok: N journeys</c> on stdout and exit 0, or every error as
/// <c>file:line:column: message</c> on stderr, nothing on stdout, exit 1. Wrong usage exits 2.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void WriteSpecFolder()
    {
        _folder.Write("new-customer-nurture.yaml", SpecDocument.Journey);
        _folder.Write("policy.yaml", SpecDocument.Policy);
        _folder.Write("welcome.yml", """
            journey: welcome
            entry: { on: signed_up }
            start: hello
            steps:
              hello:
                send: { channel: email, template: welcome/hello }
            """);
    }

    [Fact]
    public void Validate_GoodFolder_PrintsOkWithTheJourneyCountAndExits0()
    {
        WriteSpecFolder();

        var result = Support.Cli.Run("validate", _folder.Path);

        Assert.Equal((0, "ok: 2 journeys", ""), (result.Exit, result.Out.TrimEnd('\r', '\n'), result.Err));
    }

    [Fact]
    public void Validate_FolderWithOnlyWarnings_PrintsThemToStderrAndStillSucceeds()
    {
        var path = _folder.Write("orphan.yaml", """
            journey: orphan
            entry: { on: signed_up }
            start: a
            steps:
              a:
              lost:
            """);

        var result = Support.Cli.Run("validate", _folder.Path);

        Assert.Equal(0, result.Exit);
        Assert.Equal(["ok: 1 journey"], result.OutLines);
        Assert.Equal([$"{path}:6:3: warning: step 'lost' can never be reached from start 'a'"], result.ErrLines);
    }

    [Fact]
    public void Validate_BrokenFolder_PrintsEveryErrorToStderrAndNothingToStdoutAndExits1()
    {
        var a = _folder.Write("a.yaml", """
            journey: a
            entry:
              on: signed_up
              if: "customer.tier == == 'x'"
            start: s
            steps:
              s:
                then:
                  - after: 7x
                    goto: end
            """);
        var b = _folder.Write("b.yaml", """
            journey: b
            entry: { on: signed_up }
            start: nope
            steps:
              s:
            """);
        var rules = _folder.Write("rules/bad.json", """
            {
              "WorkflowName": "Other",
              "Rules": [
                { "RuleName": "A" "Expression": "true" }
              ]
            }
            """);

        var result = Support.Cli.Run("validate", _folder.Path);

        Assert.Equal(1, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Equal(
            [
                $"{a}:4:25: expression syntax error: no viable alternative at input '==' in \"customer.tier == == 'x'\"",
                $"{a}:9:16: 'after': '7x' is not a duration: write a whole number followed by m, h, d or w, such as 30m, 12h, 7d or 2w",
                $"{b}:3:8: start step 'nope' is not defined; steps are s",
                $"{rules}:4:23: rules file is not a RulesEngine workflow (or a list of them): '\"' is invalid after a value. Expected either ',', '}}', or ']'.",
            ],
            result.ErrLines);
    }

    [Fact]
    public void Validate_FolderThatDoesNotExist_ReportsItAndExits1()
    {
        var missing = Path.Combine(_folder.Path, "nowhere");

        var result = Support.Cli.Run("validate", missing);

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.Equal([$"journeys: folder '{missing}' does not exist"], result.ErrLines);
    }

    [Fact]
    public void Validate_AFileInsteadOfAFolder_SaysItIsAFileAndExits1()
    {
        var file = _folder.Write("welcome.yaml", "journey: welcome\n");

        var result = Support.Cli.Run("validate", file);

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.Equal([$"journeys: '{file}' is a file, not a folder: give the folder that holds the journeys (*.yaml, policy.yaml, rules/, templates/)"],
            result.ErrLines);
    }

    [Fact]
    public void Validate_EmptyFolder_HasNoJourneys()
    {
        var result = Support.Cli.Run("validate", _folder.Path);

        Assert.Equal((0, "ok: 0 journeys", ""), (result.Exit, result.Out.TrimEnd('\r', '\n'), result.Err));
    }

    [Fact]
    public void Validate_WithoutAFolder_IsWrongUsageAndExits2()
    {
        var result = Support.Cli.Run("validate");

        Assert.Equal((2, ""), (result.Exit, result.Out));
        Assert.StartsWith("journeys: ", result.ErrLines[0], StringComparison.Ordinal);
        Assert.Equal("Run 'journeys --help' for usage.", result.ErrLines[^1]);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("validate", "a", "b")]
    [InlineData("validate", "--strict", ".")]
    public void Command_WrongUsage_WritesOnlyToStderrAndExits2(params string[] args)
    {
        var result = Support.Cli.Run(args);

        Assert.Equal((2, ""), (result.Exit, result.Out));
        Assert.Equal("Run 'journeys --help' for usage.", result.ErrLines[^1]);
    }
}
