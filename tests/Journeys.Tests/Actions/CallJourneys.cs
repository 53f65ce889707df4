namespace Journeys.Tests.Actions;

/// <summary>Journeys with a <c>call:</c> step that several test classes run (funnel, report, telemetry).</summary>
internal static class CallJourneys
{
    /// <summary>An order asks <c>loyalty-credit</c> for 200 points: <c>$done</c> sends a push, <c>$failed</c> an SMS, and a
    /// day without an answer ends the run.</summary>
    public const string Boost = """
        journey: boost
        entry: { on: order_completed }
        start: credit
        steps:
          credit:
            call: { action: loyalty-credit, with: { points: "200" } }
            then:
              - { on: $done, goto: thanks }
              - { on: $failed, goto: sorry }
              - { after: 1d, goto: end }
          thanks:
            send: { channel: push, template: boost/thanks }
          sorry:
            send: { channel: sms, template: boost/sorry }
        """;

    /// <summary>An order asks <c>loyalty-credit</c> for 200 points with the order's id: <c>$done</c> with status ok sends a
    /// push, <c>$failed</c> an SMS, and a day without an answer ends the run.</summary>
    public const string BoostWithFallback = """
        journey: boost
        entry: { on: order_completed }
        start: credit
        steps:
          credit:
            call: { action: loyalty-credit, with: { points: "200", order: "entry.orderId" } }
            then:
              - { on: $done, if: "result.status == 'ok'", goto: thanks }
              - { on: $failed, goto: sms-fallback }
              - { after: 1d, goto: end }
          thanks:
            send: { channel: push, template: boost/thanks }
          sms-fallback:
            send: { channel: sms, template: boost/sorry }
        """;
}
