using System.Text.RegularExpressions;

namespace Journeys.Tests.Support;

/// <summary>The YAML examples of the language contract (shared/spec/journey-language.md). Read from the spec file when it
/// can be found (walking up from the test binaries: CI clones the repo with <c>shared/</c> beside it); otherwise the
/// embedded copy below, which <c>SpecDocumentTests</c> keeps identical to the file.</summary>
internal static partial class SpecDocument
{
    public const string RelativePath = "shared/spec/journey-language.md";

    private static readonly Lazy<string?> FoundPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    });

    /// <summary>The spec file, or null when it is not beside the repository.</summary>
    public static string? FilePath => FoundPath.Value;

    /// <summary>The ```yaml blocks of the spec's v1 part (before its <c># v2</c> heading), in order: from the file when
    /// found, else the embedded copy.</summary>
    public static IReadOnlyList<string> YamlBlocks => FilePath is { } path ? Extract(V1Part(File.ReadAllText(path))) : Embedded;

    /// <summary>The ```yaml blocks of the spec's v2 part (cases, working time, actions, schedules: issue #18), empty
    /// when the spec file is not beside the repository.</summary>
    public static IReadOnlyList<string> V2YamlBlocks => FilePath is { } path ? Extract(V2Part(File.ReadAllText(path))) : [];

    /// <summary>The text before the spec's <c># v2</c> heading (all of it when there is none).</summary>
    public static string V1Part(string markdown)
    {
        var at = V2Heading().Match(markdown.Replace("\r\n", "\n", StringComparison.Ordinal));
        return at.Success ? markdown.Replace("\r\n", "\n", StringComparison.Ordinal)[..at.Index] : markdown;
    }

    /// <summary>The text from the spec's <c># v2</c> heading on (empty when there is none).</summary>
    public static string V2Part(string markdown)
    {
        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        var at = V2Heading().Match(text);
        return at.Success ? text[at.Index..] : "";
    }

    [GeneratedRegex(@"^# v2\b", RegexOptions.Multiline)]
    private static partial Regex V2Heading();

    /// <summary>The journey example (<c>new-customer-nurture</c>).</summary>
    public static string Journey => YamlBlocks.Single(b => b.StartsWith("journey:", StringComparison.Ordinal));

    /// <summary>The <c>policy.yaml</c> example.</summary>
    public static string Policy => YamlBlocks.Single(b => b.StartsWith("policy:", StringComparison.Ordinal));

    /// <summary>The file name an example is loaded under: policy.yaml for the policy, else a journey file.</summary>
    public static string FileNameOf(string block) => block.StartsWith("policy:", StringComparison.Ordinal) ? "policy.yaml" : "journey.yaml";

    public static IReadOnlyList<string> Extract(string markdown) =>
        YamlBlock().Matches(markdown.Replace("\r\n", "\n", StringComparison.Ordinal)).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"^```yaml\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex YamlBlock();

    /// <summary>A verbatim copy of the spec's ```yaml blocks, for a checkout without shared/.</summary>
    public static readonly IReadOnlyList<string> Embedded =
    [
        """
journey: new-customer-nurture      # id: lowercase letters, digits and dashes; unique in the folder
version: 1                         # integer; a higher version replaces the lower (in-flight customers: see docs)
description: New customers, months 0-3 - guide, check-ins, survey.

entry:                             # exactly one of: on | when | inactive | date
  on: signed_up                    # an event of this type can enter the customer
  if: "customer.country != 'test'" # optional guard
reentry: never                     # never (default) | always | a duration such as 90d (minimum gap between entries)

exit:                              # optional; leave at once, from any step
  - on: unsubscribed
  - on: account_closed
goal:                              # optional; counted as a conversion for the journey and the step that led to it
  on: order_completed
  within: 60d                      # measured from entry
  exit: true                       # default true: a customer who converts leaves the journey

start: guide
steps:
  guide:
    send:                          # one message, or a list of them
      channel: push
      template: nurture/guide
    then:
      - after: 7d
        goto: consult
  consult:
    send: { channel: agent-task, template: nurture/consult-call }
    then:                          # first matching transition wins
      - on: consult_completed
        goto: tips
      - after: 21d
        goto: tips
  tips:
    then:
      - if: "count('app_open', 14) == 0"   # evaluated on arrival at the step
        goto: reminder
      - after: 30d
        goto: survey
  reminder:
    send: { channel: sms, template: nurture/reminder }
    then:
      - after: 30d
        goto: survey
  survey:
    send: { channel: email, template: nurture/survey }
                                    # a step with no `then` ends the journey (completed)

""",
        """
policy:
  tiers:                            # in order; first match wins; a customer matching none has tier "default"
    high-value: "customer.spend12m >= 5000 || count('order_completed', 180) >= 6"
    normal: "true"
  frequency:                        # every cap that applies must allow the send; windows roll
    - { tier: high-value, max: 3, per: 7d }
    - { tier: normal, max: 1, per: 7d }
    - { channel: sms, max: 2, per: 30d }
  quietHours: { from: "21:00", to: "08:00" }   # in the customer's time zone; sends wait until `to`
  whenCapped: skip                  # skip (default): the send is dropped and recorded; or defer: it waits
                                    # until a cap allows it, at most `deferFor` (default 7d), then is dropped

""",
    ];
}
