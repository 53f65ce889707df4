namespace Journeys.Tests.Runtime;

/// <summary>Journey texts shared by the runtime tests; <see cref="Nurture"/> is the example of
/// shared/spec/journey-language.md itself, since every example there must behave as described.</summary>
internal static class SpecJourneys
{
    public static string Nurture => Support.SpecDocument.Journey; // read from the spec (or its embedded copy)

    /// <summary>The spec journey's timeline for a customer <c>c1</c> who signs up at <see cref="Sim.T"/> and does nothing
    /// else: guide, consult at T+7d, tips at T+28d, no app_open so the SMS reminder, the survey at T+58d.</summary>
    public static readonly string[] ReminderPath =
    [
        "2026-01-05T10:00:00Z c1 entered guide (on signed_up)",
        "2026-01-05T10:00:00Z c1 sent guide push:nurture/guide",
        "2026-01-12T10:00:00Z c1 moved consult from guide (after 7d)",
        "2026-01-12T10:00:00Z c1 sent consult agent-task:nurture/consult-call",
        "2026-02-02T10:00:00Z c1 moved tips from consult (after 21d)",
        "2026-02-02T10:00:00Z c1 moved reminder from tips (if count('app_open', 14) == 0)",
        "2026-02-02T10:00:00Z c1 sent reminder sms:nurture/reminder",
        "2026-03-04T10:00:00Z c1 moved survey from reminder (after 30d)",
        "2026-03-04T10:00:00Z c1 sent survey email:nurture/survey",
        "2026-03-04T10:00:00Z c1 completed survey",
    ];

    /// <summary>The spec journey with a reminder that waits 40 days instead of 30, so a customer is still inside after the
    /// goal's 60-day window (the spec journey itself always ends by day 58).</summary>
    public static string NurtureWithSlowReminder => Replace(Nurture,
        "template: nurture/reminder }\n    then:\n      - after: 30d", "template: nurture/reminder }\n    then:\n      - after: 40d");

    /// <summary>The value-boost condition of the spec, as a <c>when</c> entry.</summary>
    public const string ValueBoost = """
        journey: value-boost
        version: 1
        entry:
          when: "count('interaction', 30) >= 2 && daysSince(lastSeen('order_completed')) <= 180"
        start: recommend
        steps:
          recommend:
            send: { channel: push, template: boost/recs }
        """;

    /// <summary>A journey whose only timer is 120 days away: further than a platform timer waits in one go (about 49.7
    /// days), so it is armed in steps.</summary>
    public const string MonthsAwayTimer = """
        journey: slow
        entry: { on: joined }
        start: wait
        steps:
          wait:
            then: [ { after: 120d, goto: later } ]
          later:
            send: { channel: push, template: slow/later }
        """;

    /// <summary>A one-step journey (enters and completes at once) with the given entry and reentry, for entry-kind tests.</summary>
    public static string OneStep(string id, string entryYaml, string reentry = "never") => $$"""
        journey: {{id}}
        version: 1
        entry:
        {{Indent(entryYaml, 2)}}
        reentry: {{reentry}}
        start: hello
        steps:
          hello:
            send: { channel: email, template: {{id}}/hello }
        """;

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l));

    private static string Replace(string text, string oldValue, string newValue)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return normalized.Contains(oldValue, StringComparison.Ordinal)
            ? normalized.Replace(oldValue, newValue, StringComparison.Ordinal)
            : throw new InvalidOperationException($"'{oldValue}' is not in the journey text");
    }
}
