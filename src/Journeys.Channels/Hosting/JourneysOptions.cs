using Journeys.Runtime;

namespace Journeys.Hosting;

/// <summary>What <c>services.AddJourneys(...)</c> builds the engine from. Checked when the host starts
/// (<c>ValidateOnStart</c>): every wrong setting is reported at once, each named as <c>JourneysOptions.Property</c>.
/// Bindable from configuration (<c>builder.Services.Configure&lt;JourneysOptions&gt;(config.GetSection("Journeys"))</c>).</summary>
public sealed class JourneysOptions
{
    /// <summary>The folder of journey files (YAML, <c>policy.yaml</c>, <c>rules/</c>, <c>templates/</c>). Required; a
    /// relative path is taken from the host's content root (the current directory when there is no host
    /// environment). Loaded when the engine is first resolved; definitions with errors fail the start with every
    /// <c>file:line:column</c> problem listed.</summary>
    public string? Folder { get; set; }

    /// <summary>The number of partitions, each with its own worker: 1 to <see cref="JourneyEngineBuilder.MaxPartitions"/>.
    /// Null (the default) means one per processor.</summary>
    public int? Partitions { get; set; }

    /// <summary>How many items a partition queues before publishers wait: at least
    /// <see cref="JourneyEngineBuilder.MinQueueCapacity"/>. Null (the default) means 65,536.</summary>
    public int? QueueCapacity { get; set; }

    /// <summary>How many due timers a partition fires per turn when catching up (after an outage): at least 1. Null (the
    /// default) means <see cref="JourneyEngineBuilder.DefaultCatchUpLimit"/>; see
    /// <see cref="JourneyEngineBuilder.WithCatchUpLimit"/>.</summary>
    public int? CatchUpLimit { get; set; }

    /// <summary>How late a send may be and still go out: more than zero. Null (the default) means no limit; see
    /// <see cref="JourneyEngineBuilder.WithMaxSendLateness"/>.</summary>
    public TimeSpan? MaxSendLateness { get; set; }

    /// <summary>How long stopping goes on delivering what was decided: more than zero, or
    /// <see cref="Timeout.InfiniteTimeSpan"/>. Null (the default) means
    /// <see cref="JourneyEngineBuilder.DefaultDrainTimeout"/>; see <see cref="JourneyEngineBuilder.WithDrainTimeout"/>. The
    /// host's own shutdown timeout cuts it short too.</summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>The folder as a full path: <see cref="Folder"/> taken from <paramref name="contentRoot"/> when relative.</summary>
    internal string FullFolder(string? contentRoot) => Path.GetFullPath(Path.Combine(contentRoot ?? Directory.GetCurrentDirectory(), Folder!));
}
