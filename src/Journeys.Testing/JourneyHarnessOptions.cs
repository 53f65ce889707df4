using Journeys.Engine;

namespace Journeys.Testing;

/// <summary>How a <see cref="JourneyHarness"/> builds its engine. Every property has a default, so
/// <c>new JourneyHarnessOptions()</c> is a harness that starts on <see cref="JourneyHarness.DefaultStart"/> with one
/// partition.</summary>
public sealed class JourneyHarnessOptions
{
    /// <summary>The instant virtual time starts at. Default: <see cref="JourneyHarness.DefaultStart"/>, a Monday at
    /// 10:00 UTC.</summary>
    public DateTimeOffset Start { get; set; } = JourneyHarness.DefaultStart;

    /// <summary>The engine's partitions: 1 to <see cref="JourneyEngineOptions.MaxPartitions"/>. Default: 1, so the
    /// decisions of different customers come in one order run after run.</summary>
    public int Partitions { get; set; } = 1;

    /// <summary>Further engine settings, applied after the harness's own (catalog, clock, partitions, recording channel):
    /// a store (<see cref="JourneyEngineBuilder.UseStore"/>), a channel of your own for one channel name, a maximum send
    /// lateness... A channel added here serves its name instead of the recording channel, so its messages are not in
    /// <see cref="JourneyHarness.Sent"/>. Default: none.</summary>
    public Action<JourneyEngineBuilder>? ConfigureEngine { get; set; }
}
