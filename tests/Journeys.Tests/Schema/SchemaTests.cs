using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Journeys.Language.Loading;
using Journeys.Tests.Support;

namespace Journeys.Tests.Schema;

/// <summary><c>journeys schema</c>: the JSON Schema of journey files and policy.yaml. It is one file
/// (docs/journeys.schema.json, embedded in the tool), it names every key the loader knows and no other (save the spec's
/// v2 keys the loader does not read yet), and every sample and every example of the language contract passes it.</summary>
public sealed partial class SchemaTests
{
    /// <summary>Keys of the spec's v2 part (cases, calendars, actions, schedules: issue #18) that the schema already
    /// describes and the loader does not read yet. When the loader learns one, this test asks for it to be taken out.</summary>
    private static readonly Dictionary<string, string[]> PendingV2Keys = new();

    /// <summary>The loader's key tables (<c>DefinitionParser.*Keys</c>) and the schema definition each one matches.</summary>
    private static readonly Dictionary<string, string> TableToDefinition = new()
    {
        ["JourneyKeys"] = "journey",
        ["EntryKeys"] = "entry",
        ["InactiveKeys"] = "inactive",
        ["DateKeys"] = "date",
        ["ExitKeys"] = "exit",
        ["GoalKeys"] = "goal",
        ["StepKeys"] = "step",
        ["SendKeys"] = "send",
        ["TransitionKeys"] = "transition",
        ["BranchKeys"] = "branch",
        ["PolicyKeys"] = "policy",
        ["CapKeys"] = "cap",
        ["QuietKeys"] = "quietHours",
        ["CalendarKeys"] = "calendar",
        ["HoursKeys"] = "hours",
        ["UntilKeys"] = "until",
        ["EmitKeys"] = "emit",
        ["ScheduleKeys"] = "schedule",
        ["CallKeys"] = "call",
    };

    private static JsonObject Definitions => (JsonObject)JsonNode.Parse(Journeys.Cli.SchemaCommand.Text)!["$defs"]!;

    private static Dictionary<string, string[]> LoaderTables() =>
        typeof(JourneyLoader).Assembly.GetType("Journeys.Language.Loading.DefinitionParser", throwOnError: true)!
            .GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(string[]) && f.Name.EndsWith("Keys", StringComparison.Ordinal))
            .ToDictionary(f => f.Name, f => (string[])f.GetValue(null)!);

    [Fact]
    public void SchemaCommand_Run_PrintsTheSchemaShippedInDocsAndBesideTheTool()
    {
        var result = Support.Cli.Run("schema");

        var docs = File.ReadAllText(Path.Combine(SchemaHarness.RepoRoot, "docs", "journeys.schema.json"));
        var besideTool = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "journeys.schema.json"));
        Assert.Equal((0, ""), (result.Exit, result.Err));
        Assert.Equal(docs, result.Out);
        Assert.Equal(docs, besideTool);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", JsonNode.Parse(result.Out)!["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void Schema_KeysOfEachDefinition_AreTheLoadersKeyTablePlusThePendingV2Keys()
    {
        var tables = LoaderTables();
        var definitions = Definitions;

        Assert.True(tables.Count >= TableToDefinition.Count, "the loader's key tables were not found by reflection");
        foreach (var (table, keys) in tables)
        {
            Assert.True(TableToDefinition.TryGetValue(table, out var name),
                $"the loader has a new key table {table}: describe it in docs/journeys.schema.json and map it in {nameof(TableToDefinition)}");
            var schemaKeys = ((JsonObject)definitions[name]!["properties"]!).Select(p => p.Key).ToHashSet();
            var pending = PendingV2Keys.GetValueOrDefault(name, []);
            foreach (var key in keys)
            {
                Assert.False(pending.Contains(key), $"the loader now reads '{key}' of {name}: remove it from {nameof(PendingV2Keys)}");
            }

            Assert.Equal(keys.Order(StringComparer.Ordinal), schemaKeys.Except(pending).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Schema_EveryDefinitionAndKey_HasADescriptionOrIsAnAtom()
    {
        // Every key of an object definition carries a description (taken from the language reference) or refers to a
        // definition that has one, so that an editor shows help for each key.
        var definitions = Definitions;
        var missing = new List<string>();
        foreach (var (name, definition) in definitions)
        {
            if (definition!["properties"] is not JsonObject properties)
            {
                continue;
            }

            if (definition["description"] is null)
            {
                missing.Add(name);
            }

            foreach (var (key, property) in properties)
            {
                var described = property!["description"] is not null ||
                                (property["$ref"]?.GetValue<string>() is { } reference && definitions[reference.Split('/')[^1]]!["description"] is not null);
                if (!described)
                {
                    missing.Add($"{name}.{key}");
                }
            }
        }

        Assert.Empty(missing);
    }

    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "journeys"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_Evaluated_IsValidAndCarriesTheModelineToTheShippedSchema(string file)
    {
        var path = Path.Combine(SchemaHarness.RepoRoot, "samples", "journeys", file);
        var text = File.ReadAllText(path);

        var (valid, errors) = SchemaHarness.EvaluateYaml(text);

        Assert.True(valid, string.Join("\n", errors));
        var modeline = Modeline().Match(text);
        Assert.True(modeline.Success, $"{file} has no '# yaml-language-server: $schema=' line");
        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, modeline.Groups[1].Value));
        Assert.Equal(Path.Combine(SchemaHarness.RepoRoot, "docs", "journeys.schema.json"), target);
    }

    [GeneratedRegex(@"^# yaml-language-server: \$schema=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex Modeline();

    [Fact]
    public void SpecExamples_BothParts_AreValid()
    {
        var blocks = SpecDocument.YamlBlocks.Concat(SpecDocument.V2YamlBlocks).ToList();

        Assert.True(blocks.Count >= 2);
        foreach (var block in blocks)
        {
            var (valid, errors) = SchemaHarness.Evaluate(SchemaHarness.Complete((JsonObject)SchemaHarness.ToJson(block)!));
            Assert.True(valid, block + "\n" + string.Join("\n", errors));
        }
    }

    [SpecFileFact]
    public void SpecExamples_V2Part_AreFoundAndCoverEveryV2Construct()
    {
        var v2 = string.Join("\n", SpecDocument.V2YamlBlocks);

        Assert.Equal(4, SpecDocument.V2YamlBlocks.Count);
        foreach (var key in new[] { "case:", "maxCases:", "calendars:", "set:", "emit:", "schedule:" })
        {
            Assert.Contains(key, v2, StringComparison.Ordinal);
        }
    }

    /// <summary>The v2 constructs the spec writes inline, in prose, rather than in a block.</summary>
    [Theory]
    [InlineData("{ after: 7bd, from: entry, goto: late }")]
    [InlineData("{ after: 2bh, goto: late }")]
    [InlineData("{ until: { at: \"10:00\", days: [mon, tue, wed, thu, fri] }, goto: call }")]
    [InlineData("{ until: { at: \"10:00\", calendar: cn-office }, goto: call }")]
    [InlineData("{ on: $done, if: \"result.status == 'ok'\", goto: thanks }")]
    [InlineData("{ on: $failed, goto: sms-fallback }")]
    public void SpecInlineV2Transition_InAStep_IsValid(string transition)
    {
        // $done and $failed answer the step's call, as in the spec's example.
        var call = transition.StartsWith("{ on: $", StringComparison.Ordinal) ? "    call: { action: loyalty-credit }\n" : "";
        var (valid, errors) = SchemaHarness.EvaluateYaml($"journey: x\nentry: {{ on: e }}\ncalendar: cn-office\nstart: a\nsteps:\n  a:\n{call}    then:\n      - {transition}\n");

        Assert.True(valid, string.Join("\n", errors));
    }

    /// <summary>The loader refuses <c>on: $done</c> in a step without <c>call</c>, and <c>on: $failed</c> in a step with
    /// neither <c>call</c> nor <c>send</c>; so does the schema (with the answering step's keys, it accepts them).</summary>
    [Theory]
    [InlineData("", "{ on: $done, goto: end }", false)]
    [InlineData("", "[ { after: 1d, goto: end }, { on: $failed, goto: end } ]", false)]
    [InlineData("    send: { channel: push, template: t }\n", "{ on: $done, goto: end }", false)]
    [InlineData("    send: { channel: push, template: t }\n", "[ { on: $failed, goto: end } ]", true)]
    [InlineData("    call: { action: a }\n", "[ { on: $done, goto: end }, { on: $failed, goto: end } ]", true)]
    public void AnswerTransitions_WithoutTheStepsCallOrSend_AreRefusedAsTheLoaderDoes(string action, string then, bool expected)
    {
        var yaml = $"journey: x\nentry: {{ on: e }}\nstart: a\nsteps:\n  a:\n{action}    then: {then}\n";

        var (valid, errors) = SchemaHarness.EvaluateYaml(yaml);
        var loaded = JourneyLoader.LoadYaml(("x.yaml", yaml));

        Assert.Equal(expected, valid);
        Assert.Equal(expected, !loaded.HasErrors);
    }

    [Theory]
    [InlineData("call: { action: loyalty-credit, with: { points: \"200\", order: \"entry.orderId\" } }")]
    [InlineData("send: { channel: agent-task, template: t, category: operational }")]
    [InlineData("emit: [ { event: a }, { event: b, properties: { n: \"1\" } } ]")]
    public void SpecInlineV2StepAction_IsValid(string action)
    {
        var (valid, errors) = SchemaHarness.EvaluateYaml($"journey: x\nentry: {{ on: e }}\nstart: a\nsteps:\n  a:\n    {action}\n");

        Assert.True(valid, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("schedule: { every: day, at: \"10:00\" }")]
    [InlineData("schedule: { every: month, on: last, at: \"10:00\" }")]
    [InlineData("schedule: { every: month, on: 15, at: \"10:00\" }")]
    [InlineData("schedule: { every: year, lunar: \"08-15\", at: \"10:00\" }")]
    [InlineData("schedule: { at: \"2026-03-01T10:00:00+08:00\" }")]
    [InlineData("date: { trait: birthday, every: year, lunar: true }")]
    public void SpecInlineV2Entry_IsValid(string entry)
    {
        var (valid, errors) = SchemaHarness.EvaluateYaml($"journey: x\nentry:\n  {entry}\nstart: a\nsteps:\n  a:\n");

        Assert.True(valid, string.Join("\n", errors));
    }

    /// <summary>The reference's own examples (each block it marks with a <c>check:</c> comment).</summary>
    [Fact]
    public void ReferenceExamples_MarkedChecked_AreValid()
    {
        var text = File.ReadAllText(Path.Combine(SchemaHarness.RepoRoot, "docs", "journey-language.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = CheckedBlock().Matches(text).Select(m => m.Groups[1].Value).ToList();

        Assert.True(blocks.Count >= 8, $"only {blocks.Count} checked examples found");
        foreach (var block in blocks)
        {
            var (valid, errors) = SchemaHarness.EvaluateYaml(block);
            Assert.True(valid, block + "\n" + string.Join("\n", errors));
        }
    }

    [GeneratedRegex(@"^<!-- check: [^\n]*-->\n```yaml\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CheckedBlock();
}
