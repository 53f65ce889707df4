namespace Journeys.Tests.Schema;

/// <summary>Wrong files fail the schema, with an error at the wrong place, as an editor would underline it.</summary>
public sealed class SchemaRejectionTests
{
    private const string Good = """
        journey: welcome
        entry: { on: signed_up }
        start: hello
        steps:
          hello:
            send: { channel: email, template: welcome/hello }
            then:
              - after: 7d
                goto: end
        """;

    [Fact]
    public void GoodFile_Evaluated_IsValid()
    {
        var (valid, errors) = SchemaHarness.EvaluateYaml(Good);

        Assert.True(valid, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("start: hello", "start: hello\ncolour: blue", "")]                                   // unknown top-level key
    [InlineData("send: { channel: email,", "send: { chanel: email,", "/steps/hello/send")]          // misspelt key
    [InlineData("after: 7d", "after: 7", "/steps/hello/then/0/after")]                               // a duration without a unit
    [InlineData("after: 7d", "after: 7D", "/steps/hello/then/0/after")]                              // an uppercase unit
    [InlineData("after: 7d", "after: 1.5d", "/steps/hello/then/0/after")]                            // not a whole number
    [InlineData("after: 7d", "after: 0d", "/steps/hello/then/0/after")]                              // not positive
    [InlineData("journey: welcome", "journey: Welcome_1", "/journey")]                               // id pattern
    [InlineData("journey: welcome", "journey: welcome\nversion: two", "/version")]                   // wrong type
    [InlineData("journey: welcome", "journey: welcome\nversion: 0", "/version")]                     // below the minimum
    [InlineData("journey: welcome", "journey: welcome\nversioning: keep", "/versioning")]            // not an allowed value
    [InlineData("journey: welcome", "journey: welcome\nreentry: sometimes", "/reentry")]
    [InlineData("entry: { on: signed_up }", "entry: { on: signed_up, when: \"true\" }", "/entry")]   // two entry kinds
    [InlineData("entry: { on: signed_up }", "entry: { when: \"true\", if: \"true\" }", "/entry")]   // if without on
    [InlineData("template: welcome/hello }", "template: welcome/hello, category: urgent }", "/steps/hello/send/category")]
    [InlineData("template: welcome/hello }", "template: welcome/hello, priority: 5000 }", "/steps/hello/send/priority")]
    [InlineData("goto: end", "goto: end\n        on: clicked", "/steps/hello/then/0")]                // after with on
    [InlineData("- after: 7d\n        goto: end", "- split: [ { weight: 1, goto: end } ]", "/steps/hello/then/0/split")] // one branch
    [InlineData("- after: 7d\n        goto: end", "- split: [ { weight: 0, goto: end }, { weight: 1, goto: end } ]", "/steps/hello/then/0/split/0/weight")]
    [InlineData("then:\n      - after: 7d\n        goto: end", "then: []", "/steps/hello/then")]      // then with no transition
    [InlineData("steps:\n  hello:", "steps:\n  end:", "/steps/end")]                                     // 'end' names no step
    public void WrongFile_Evaluated_FailsAtThePlaceOfTheMistake(string find, string replace, string location)
    {
        var yaml = Good.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Good, yaml);

        var (valid, errors) = SchemaHarness.EvaluateYaml(yaml);

        Assert.False(valid);
        Assert.True(errors.Any(e => e.StartsWith(location + ":", StringComparison.Ordinal)), $"no error at '{location}':\n{string.Join("\n", errors)}");
    }

    [Theory]
    [InlineData("policy:\n  whenCapped: later\n")]
    [InlineData("policy:\n  deferFor: 3\n")]
    [InlineData("policy:\n  quietHours: { from: \"21:00\" }\n")]
    [InlineData("policy:\n  quietHours: { from: \"9pm\", to: \"08:00\" }\n")]
    [InlineData("policy:\n  frequency: [ { max: 3 } ]\n")]
    [InlineData("policy:\n  frequency: [ { max: -1, per: 7d } ]\n")]
    [InlineData("policy:\n  tiers: { default: \"true\" }\n")]
    [InlineData("policy:\n  tier: { normal: \"true\" }\n")]
    [InlineData("policy:\n  calendars: { office: { days: [monday] } }\n")]
    public void WrongPolicy_Evaluated_Fails(string yaml)
    {
        Assert.False(SchemaHarness.EvaluateYaml(yaml).Valid);
    }
}
