using System.Text.Json;
using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Actions;

/// <summary><see cref="ActionAnswers"/>, the public reader of the actions-file format (simulate's <c>--actions</c>,
/// scenarios' <c>actions:</c>): each action answers as the file says, bad files are one message naming the file (and the
/// JSON line), and the samples' file answers every action the sample journeys call.</summary>
public sealed class ActionAnswersTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ActionRequest Call(string action) => new()
    {
        IdempotencyKey = "boost:1:c1:1:points:call",
        Action = action,
        CustomerId = "c1",
        JourneyId = "boost",
        Step = "points",
    };

    [Fact]
    public async Task ReadFile_ResultAndFailed_EachActionAnswersEveryCallAsWritten()
    {
        var path = _folder.Write("actions.json", """{"loyalty-credit": {"result": {"status": "ok", "balance": 120}}, "crm": {"failed": "CRM down"}}""");

        var answers = ActionAnswers.ReadFile(path);

        Assert.Equal(["loyalty-credit", "crm"], answers.Names);
        Assert.Equal(2, answers.Count);
        var credit = await answers[0].InvokeAsync(Call("loyalty-credit"), CancellationToken.None);
        Assert.Equal(DeliveryStatus.Delivered, credit.Status);
        Assert.Equal("""{"status":"ok","balance":120}""", JsonSerializer.Serialize(credit.Result));
        var crm = await answers.Single(a => a.Name == "crm").InvokeAsync(Call("crm"), CancellationToken.None);
        Assert.Equal((DeliveryStatus.PermanentFailure, "CRM down"), (crm.Status, crm.Reason));
    }

    [Fact]
    public void Parse_TheSameFormatAsText_ReadsTheSameActions()
    {
        var answers = ActionAnswers.Parse("""{"a": {"result": {}}, "b": {"failed": "no"}}""");

        Assert.Equal(["a", "b"], answers.Names);
    }

    [Theory]
    [InlineData("{\n  \"loyalty-credit\": {\"result\": {\"status\": \"ok\"}", " line 2: not valid JSON")]
    [InlineData("[1]", ": expected a JSON object of actions by name")]
    [InlineData("{\"loyalty-credit\": {\"result\": 3}}", ": action 'loyalty-credit' must be {\"result\": {...}}")]
    [InlineData("{\"loyalty-credit\": {\"result\": {}, \"failed\": \"x\"}}", ": action 'loyalty-credit' must be")]
    [InlineData("{\"crm\": {\"result\": {}}, \"crm\": {\"failed\": \"x\"}}", ": action 'crm' is listed twice")]
    [InlineData("{\"\": {\"result\": {}}}", ": an action's name is empty")]
    public void ReadFile_BadContent_IsInvalidDataNamingTheFileAndWhere(string text, string expected)
    {
        var path = _folder.Write("actions.json", text);

        var error = Assert.Throws<InvalidDataException>(() => ActionAnswers.ReadFile(path));

        Assert.StartsWith($"actions file '{path}'{expected}", error.Message, StringComparison.Ordinal);
        Assert.Null(ActionAnswers.TryReadFile(path, out var line));
        Assert.Equal(error.Message, line);
    }

    [Fact]
    public void ReadFile_NotUtf8_NamesTheFileAndTheLine()
    {
        var path = _folder.WriteBytes("actions.json", [(byte)'{', (byte)'\n', 0xFF, (byte)'}']);

        var error = Assert.Throws<InvalidDataException>(() => ActionAnswers.ReadFile(path));

        Assert.Equal($"actions file '{path}' line 2: the file is not valid UTF-8 text", error.Message);
    }

    [Fact]
    public void ReadFile_MissingOrAFolder_IsFileNotFoundNamingIt()
    {
        var missing = _folder.File("nope.json");

        var error = Assert.Throws<FileNotFoundException>(() => ActionAnswers.ReadFile(missing));
        var folder = Assert.Throws<FileNotFoundException>(() => ActionAnswers.ReadFile(_folder.Path));

        Assert.Equal($"actions file '{missing}' does not exist or is not a regular file", error.Message);
        Assert.Equal($"actions file '{_folder.Path}' is a folder, not a file", folder.Message);
    }

    [Fact]
    public void Parse_BadText_IsInvalidDataSayingWhere()
    {
        var error = Assert.Throws<InvalidDataException>(() => ActionAnswers.Parse("{\"a\": 1}"));

        Assert.StartsWith("actions: action 'a' must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamplesActionsFile_AnswersEveryActionTheSampleJourneysCall()
    {
        var catalog = JourneyLoader.LoadFolder(Path.Combine(Samples, "journeys")).ThrowIfInvalid();
        var called = catalog.Journeys.SelectMany(j => j.Steps).Select(s => s.Call?.Action).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var answers = ActionAnswers.ReadFile(Path.Combine(Samples, "actions.json"));

        Assert.Contains("loyalty-credit", called);
        Assert.Subset(answers.Names.ToHashSet(StringComparer.Ordinal), called);
    }

    [Fact]
    public async Task AddActions_TheSampleJourneys_BuildWithTheAnswersInOneLine_AndNotWithout()
    {
        var catalog = JourneyLoader.LoadFolder(Path.Combine(Samples, "journeys")).ThrowIfInvalid();
        JourneyEngineBuilder Builder() => new JourneyEngineBuilder().UseCatalog(catalog).AddChannel(new RecordingChannel());

        var without = Assert.Throws<InvalidOperationException>(() => Builder().Build());
        await using var engine = Builder().AddActions(ActionAnswers.ReadFile(Path.Combine(Samples, "actions.json"))).Build();

        Assert.Contains("journeys call action 'loyalty-credit', but no action of that name is registered", without.Message, StringComparison.Ordinal);
        Assert.NotNull(engine);
    }
}
