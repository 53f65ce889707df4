using Journeys.Cli;

namespace Journeys.Tests.Cli;

public sealed class SimulatePaceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-pace-").FullName;

    public SimulatePaceTests()
    {
        File.WriteAllText(Path.Combine(_folder, "policy.yaml"), """
            policy:
              tiers:
                high-value: "customer.spend12m >= 5000"
                normal: "true"
              frequency:
                - { tier: high-value, max: 3, per: 7d }
                - { tier: normal, max: 1, per: 7d }
              quietHours: { from: "21:00", to: "08:00" }
            """);
        File.WriteAllText(Path.Combine(_folder, "boost.yaml"), """
            journey: boost
            entry: { on: browse }
            reentry: always
            start: recommend
            steps:
              recommend:
                send: { channel: push, template: boost/recs }
            """);
        File.WriteAllText(Path.Combine(_folder, "events.jsonl"), """
            {"type":"identify","userId":"c2","timestamp":"2026-01-12T00:00:00Z","traits":{"timeZone":"Asia/Shanghai","spend12m":100}}
            {"type":"track","userId":"c2","event":"browse","timestamp":"2026-01-12T02:00:00Z"}
            {"type":"track","userId":"c2","event":"browse","timestamp":"2026-01-13T02:00:00Z"}
            {"type":"track","userId":"c2","event":"browse","timestamp":"2026-01-13T14:00:00Z"}
            """);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = JourneysCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Simulate_WithPolicy_RecordsCapsAndQuietHoursWithTheirReasons()
    {
        var (code, output, error) = Run("simulate", _folder, "--events", Path.Combine(_folder, "events.jsonl"), "--until", "2026-01-15T00:00:00Z");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var sends = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("\"channel\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            """{"timestamp":"2026-01-12T02:00:00Z","userId":"c2","journey":"boost","version":1,"step":"recommend","decision":"sent","channel":"push","template":"boost/recs"}""",
            """{"timestamp":"2026-01-13T02:00:00Z","userId":"c2","journey":"boost","version":1,"step":"recommend","decision":"suppressed","channel":"push","template":"boost/recs","reason":"cap:normal"}""",
            // 22:00 in Shanghai: held until 08:00 local (00:00 UTC), then capped
            """{"timestamp":"2026-01-13T14:00:00Z","userId":"c2","journey":"boost","version":1,"step":"recommend","decision":"deferred","channel":"push","template":"boost/recs","reason":"quiet-hours"}""",
            """{"timestamp":"2026-01-14T00:00:00Z","userId":"c2","journey":"boost","version":1,"step":"recommend","decision":"suppressed","channel":"push","template":"boost/recs","reason":"cap:normal"}""",
        ], sends);
    }

    [Fact]
    public void Explain_WithPolicy_TellsWhichCapSuppressed()
    {
        var (code, output, _) = Run("explain", _folder, "--events", Path.Combine(_folder, "events.jsonl"), "--user", "c2", "--until", "2026-01-15T00:00:00Z");

        Assert.Equal(0, code);
        Assert.Contains("2026-01-13T02:00:00Z    boost v1: suppressed boost/recs on push at step 'recommend' — cap:normal", output, StringComparison.Ordinal);
        Assert.Contains("2026-01-13T14:00:00Z    boost v1: deferred boost/recs on push at step 'recommend' — quiet-hours", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_SendHeldByACap_NamesTheCapsWindowAndTheSendThatUsedItUp()
    {
        var (code, stdout, _) = Run("explain", _folder, "--events", Path.Combine(_folder, "events.jsonl"), "--user", "c2");

        Assert.Equal(0, code);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("2026-01-13T02:00:00Z", StringComparison.Ordinal)
            && l.EndsWith("cap:normal (1 per 7d, used by boost/recommend boost/recs on push at 2026-01-12T02:00:00Z)", StringComparison.Ordinal));
    }
}
