namespace Journeys.Tests.Support;

/// <summary>Journeys several test classes run.</summary>
internal static class TestJourneys
{
    /// <summary>Enters on <c>signed_up</c>, sends on <c>push</c>, and after 7 days moves to <c>consult</c> and sends again.</summary>
    public const string Nurture = """
        journey: nurture
        entry: { on: signed_up }
        start: guide
        steps:
          guide:
            send: { channel: push, template: nurture/guide }
            then: [ { after: 7d, goto: consult } ]
          consult:
            send: { channel: push, template: nurture/consult }
        """;
}
