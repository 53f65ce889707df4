using Journeys.Tests.Runtime;

namespace Journeys.Tests.Cli;

/// <summary><c>simulate</c> and <c>explain</c> over a step with <c>set</c> and <c>emit</c>: the <c>updated</c>,
/// <c>emitted</c> and chain-<c>failed</c> decisions as simulate writes them, and as explain tells them.</summary>
public sealed class ActionsCliTests : IDisposable
{
    private readonly SimulationFolder _folder = new(("vip.yaml", """
        journey: vip
        entry: { on: joined }
        start: welcome
        steps:
          welcome:
            set: { stage: "'vip'" }
            emit: { event: vip_joined }
            then: [ { on: vip_joined, goto: echo } ]
          echo:
            emit: { event: ping }
            then: [ { on: ping, goto: echo }, { after: 1d, goto: end } ]
        """));

    public void Dispose() => _folder.Dispose();

    private string EventsFile() =>
        _folder.Write("events.jsonl", ["""{"type":"track","userId":"c1","event":"joined","timestamp":"2026-01-05T10:00:00Z"}"""]);

    [Fact]
    public void Simulate_SetAndEmit_WritesUpdatedEmittedAndTheChainsFailedDecision()
    {
        var (exit, stdout, stderr) = _folder.Run("simulate", _folder.Journeys, "--events", EventsFile());

        Assert.Equal((0, ""), (exit, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"vip","version":1,"step":"welcome","decision":"updated","reason":"set stage"}""", lines[1]);
        Assert.Equal("""{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"vip","version":1,"step":"welcome","decision":"emitted","reason":"emit vip_joined"}""", lines[2]);
        Assert.Equal("""{"timestamp":"2026-01-05T10:00:00Z","userId":"c1","journey":"vip","version":1,"step":"echo","decision":"failed","reason":"emit-chain:ping: more than 8 chained events at one instant"}""", lines[^1]);
        Assert.Equal(7, lines.Count(l => l.Contains("\"emitted\",\"reason\":\"emit ping\"", StringComparison.Ordinal))); // vip_joined was the first of the 8
    }

    [Fact]
    public void Explain_SetAndEmit_TellsTheTraitsTheEventAndTheStoppedChain()
    {
        var (exit, stdout, stderr) = _folder.Run("explain", _folder.Journeys, "--events", EventsFile(), "--user", "c1");

        Assert.Equal((0, ""), (exit, stderr));
        Assert.Contains("vip v1: set traits at step 'welcome' — stage", stdout, StringComparison.Ordinal);
        Assert.Contains("vip v1: emitted vip_joined at step 'welcome' (applied next, at the same instant)", stdout, StringComparison.Ordinal);
        Assert.Contains("vip v1: did not emit ping at step 'echo' — emit-chain:ping: more than 8 chained events at one instant", stdout, StringComparison.Ordinal);
    }
}
