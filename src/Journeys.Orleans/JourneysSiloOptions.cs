using Journeys.Delivery;
using Journeys.Engine;
using Journeys.Language.Loading;

namespace Journeys.Orleans;

/// <summary>What every shard of a silo runs: the catalog, the channels, the clock, and how shards keep their state. Set
/// through <see cref="JourneysSiloBuilderExtensions.AddJourneys"/>; checked when the silo is configured.</summary>
public sealed class JourneysSiloOptions
{
    /// <summary>The default number of shards.</summary>
    public const int DefaultShardCount = 1024;

    /// <summary>The journeys, policy and rules every shard runs. Required; it must have no errors.</summary>
    public JourneyCatalog? Catalog { get; set; }

    /// <summary>How many shards customers are spread over: a power of two, the same on every silo and client, and fixed
    /// for the life of the stored data. Default <see cref="DefaultShardCount"/> (1,024).</summary>
    public int ShardCount { get; set; } = DefaultShardCount;

    /// <summary>The name of the <c>IGrainStorage</c> provider shards keep their state in (register it with the silo, such
    /// as <c>AddRedisGrainStorage("journeys", ...)</c>). Default <c>"journeys"</c>.</summary>
    public string StorageName { get; set; } = "journeys";

    /// <summary>The clock the shards' engines read and arm their timers on; default the system clock. Orleans itself keeps
    /// its own clock, so a <c>FakeTimeProvider</c> here runs journeys in virtual time on a real cluster.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How often an active shard brings its wake-up reminder in step with its earliest timer (a grain timer),
    /// besides after every call; also the period of the reminder. Default and least: one minute.</summary>
    public TimeSpan ReminderSyncPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The step a shard's wake-up reminder is set in: it is due this many whole steps from now, at least one, for
    /// the earliest timer of a shard (so a deactivated shard's timer is late by at most this much, plus the reminder
    /// service's delay). Default one minute, the granularity Orleans documents for reminders; at least one second and at
    /// most <see cref="ReminderSyncPeriod"/>.</summary>
    public TimeSpan ReminderGranularity { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many changed customers a shard's changes state holds before they are folded into its snapshot. Every
    /// save rewrites the changes state (at most this many customer records, plus the outbox); a fold rewrites the whole
    /// shard, once per this many changed customers. Default 256.</summary>
    public int FoldThreshold { get; set; } = 256;

    /// <summary>The name of the Orleans stream provider shards publish their decisions to (register it with the silo and
    /// the subscribing clients, such as <c>AddMemoryStreams("journeys")</c>, with its <c>PubSubStore</c> grain storage);
    /// null (the default): no stream. Each shard publishes to the stream <c>StreamId.Create(DecisionStreamNamespace,
    /// shard)</c> one <see cref="DecisionRecord"/> per decision, each committed batch after its save and in the order the
    /// shard committed them; at most once across a crash, as the engine's observers.</summary>
    public string? DecisionStreamProvider { get; set; }

    /// <summary>The namespace of the shards' decision streams (<see cref="DecisionStreamProvider"/>). Default
    /// <c>"journeys-decisions"</c>.</summary>
    public string DecisionStreamNamespace { get; set; } = "journeys-decisions";

    /// <summary>The channels every shard delivers through, each with its delivery options (null: the defaults).</summary>
    public IList<(IChannel Channel, ChannelDeliveryOptions? Options)> Channels { get; } = [];

    /// <summary>The actions every shard calls for <c>call:</c> steps, each with its delivery options (null: the defaults):
    /// calls go through the shard's outbox as sends do (<see cref="JourneyEngineBuilder.AddAction"/>). A journey that calls
    /// an action not listed here fails the shard's activation, as an unknown channel does.</summary>
    public IList<(IJourneyAction Action, ChannelDeliveryOptions? Options)> Actions { get; } = [];

    /// <summary>Further settings applied to each shard's engine builder (catch-up limit, send lateness, drain timeout,
    /// logger or meter factory); the shard sets the catalog, channels, clock, store and one partition itself.</summary>
    public Action<JourneyEngineBuilder>? ConfigureEngine { get; set; }

    /// <summary>Throws when a setting is wrong, naming every wrong one.</summary>
    /// <exception cref="InvalidOperationException">A setting is wrong (the message names each).</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Catalog is null)
        {
            problems.Add("Catalog is required (load it with JourneyLoader.LoadFolder)");
        }
        else if (Catalog.HasErrors)
        {
            problems.Add("Catalog has errors: " + string.Join("; ", Catalog.Diagnostics.Take(3)));
        }

        if (ShardCount < 1 || (ShardCount & (ShardCount - 1)) != 0)
        {
            problems.Add($"ShardCount must be a power of two (1, 2, 4, ... 1024 ...), not {ShardCount}");
        }

        if (string.IsNullOrWhiteSpace(StorageName))
        {
            problems.Add("StorageName must name a grain storage provider");
        }

        if (ReminderSyncPeriod < TimeSpan.FromMinutes(1))
        {
            problems.Add($"ReminderSyncPeriod must be at least one minute (Orleans reminders' least period), not {ReminderSyncPeriod}");
        }

        if (ReminderGranularity < TimeSpan.FromSeconds(1) || ReminderGranularity > ReminderSyncPeriod)
        {
            problems.Add($"ReminderGranularity must be at least one second and at most ReminderSyncPeriod ({ReminderSyncPeriod}), not {ReminderGranularity}");
        }

        if (DecisionStreamProvider is not null && (string.IsNullOrWhiteSpace(DecisionStreamProvider) || string.IsNullOrWhiteSpace(DecisionStreamNamespace)))
        {
            problems.Add("DecisionStreamProvider, when set, must name a stream provider and DecisionStreamNamespace must not be empty");
        }

        if (FoldThreshold < 1)
        {
            problems.Add($"FoldThreshold must be 1 or more, not {FoldThreshold}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Journeys on Orleans is misconfigured: " + string.Join(". ", problems) + ".");
        }
    }
}
