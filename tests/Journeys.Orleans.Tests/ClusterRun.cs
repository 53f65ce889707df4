using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interchange;
using Journeys.Language.Loading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Streams;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Journeys.Orleans.Tests;

/// <summary>An in-process Orleans cluster running Journeys on a real Redis (membership, grain storage and reminders),
/// every silo's engines on one virtual clock. Each run is its own cluster in Redis (a fresh ClusterId and ServiceId), so
/// parallel and consecutive runs never see each other's silos. Each silo has a probe: its channel, its decision sink and its storage, which a test
/// "kills" with the silo, so a killed silo's activations (still objects in this process) write, deliver and publish
/// nothing more, as a dead process would not.</summary>
internal sealed class ClusterRun : IAsyncDisposable
{
    /// <summary>The Redis the tests use: <c>JOURNEYS_REDIS</c>, else 127.0.0.1:6379 (what .ci/run starts).</summary>
    public static string Redis => Environment.GetEnvironmentVariable("JOURNEYS_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379";

    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public const int Shards = 16;

    /// <summary>How long a run's membership table outlives its last write in Redis, should the run end without removing it.</summary>
    private static readonly TimeSpan MembershipExpiry = TimeSpan.FromHours(1);

    /// <summary>This run's cluster (and service) id: the key of its membership table in Redis.</summary>
    public string ClusterId { get; private set; } = "";

    public FakeTimeProvider Time { get; } = new(Start);
    public ConcurrentDictionary<string, SiloProbe> Probes { get; } = new();
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IJourneyCluster Journeys { get; private set; } = null!;

    /// <summary>Every message a live silo delivered (a dead silo's attempts never reach here).</summary>
    public ConcurrentQueue<OutboundMessage> Delivered { get; } = new();

    /// <summary>Completed with the first message a live silo delivered.</summary>
    public TaskCompletionSource<OutboundMessage> FirstDelivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every decision a live silo's shards published.</summary>
    public ConcurrentQueue<JourneyDecision> Decisions { get; } = new();

    public static async Task<ClusterRun> StartAsync(JourneyCatalog catalog, short silos, int foldThreshold = 256, TimeSpan? reminderGranularity = null,
        string? decisionStream = null, IJourneyAction? action = null)
    {
        var run = new ClusterRun();
        var builder = new InProcessTestClusterBuilder(silos);
        run.ClusterId = "journeys-tests-" + Guid.NewGuid().ToString("N");
        builder.Options.ClusterId = run.ClusterId;
        builder.Options.ServiceId = run.ClusterId;
        UseOwnMembership(builder.Options);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var probe = run.Probes.GetOrAdd(silo.SiloName, _ => new SiloProbe(run));
            var redis = ConfigurationOptions.Parse(Redis);
            siloBuilder.UseRedisClustering(o => (o.ConfigurationOptions, o.EntryExpiry) = (redis, MembershipExpiry));
            if (decisionStream is not null)
            {
                // The shards publish through the probe's gate (GatedStreamProvider) to the real memory stream provider,
                // which the client subscribes to by its own name.
                siloBuilder
                    .AddMemoryStreams(decisionStream)
                    .AddRedisGrainStorage("PubSubStore", o => o.ConfigurationOptions = redis);
                siloBuilder.Services.AddKeyedSingleton<IStreamProvider>(GatedStreamProvider.NameFor(decisionStream),
                    (sp, _) => new GatedStreamProvider(sp.GetRequiredKeyedService<IStreamProvider>(decisionStream), probe));
            }

            siloBuilder
                .AddRedisGrainStorage("journeys-redis", o => o.ConfigurationOptions = redis)
                .UseRedisReminderService(o => o.ConfigurationOptions = redis)
                .AddJourneys(o =>
                {
                    o.Catalog = catalog;
                    o.ShardCount = Shards;
                    o.TimeProvider = run.Time;
                    o.FoldThreshold = foldThreshold;
                    o.ReminderGranularity = reminderGranularity ?? o.ReminderGranularity;
                    o.Channels.Add((probe.Channel, null));
                    IEnumerable<IJourneyAction> actions = action is null ? Catalogs.SampleActions : [action];
                    foreach (var each in actions)
                    {
                        o.Actions.Add((each, null));
                    }

                    o.DecisionStreamProvider = decisionStream is null ? null : GatedStreamProvider.NameFor(decisionStream);
                });
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>("journeys",
                (sp, _) => new KillableStorage(sp.GetRequiredKeyedService<IGrainStorage>("journeys-redis"), probe));
            siloBuilder.Services.AddSingleton<IJourneyDecisionSink>(probe);
            siloBuilder.Services.Configure<ClusterMembershipOptions>(o =>
            {
                // Declare a killed silo dead within seconds, not the production default's tens of seconds.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        builder.ConfigureClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(Redis)); // finds the gateways in Redis
            if (decisionStream is not null)
            {
                client.AddMemoryStreams(decisionStream);
            }
        });

        run.Cluster = builder.Build();
        await run.Cluster.DeployAsync();
        run.Journeys = new JourneyCluster(run.Cluster.Client, Shards);
        return run;
    }

    /// <summary>The silo to kill in a crash test: the one that delivered most so far, but not the first (placement may
    /// favour a gateway). A victim hosting no shard that sends in the test's gap would hold nothing.</summary>
    public InProcessSiloHandle BusiestSiloButFirst() =>
        Cluster.Silos.Skip(1).MaxBy(s => Probes.TryGetValue(s.Name, out var p) ? p.DeliveredCount : 0)!;

    /// <summary>Runs inputs in timestamp order: virtual time moves to each group's timestamp, the group is published as one
    /// batch (the router makes one call per shard). <paramref name="between"/>, if given, runs after the inputs before
    /// <paramref name="pauseAt"/> (the first input at or after it waits until it completed).</summary>
    public async Task RunAsync(IEnumerable<SegmentInput> inputs, DateTimeOffset until, DateTimeOffset? pauseAt = null, Func<Task>? between = null)
    {
        var paused = false;
        foreach (var group in inputs.OrderBy(i => i.Timestamp).ThenBy(i => i.Line).GroupBy(i => i.Timestamp))
        {
            if (!paused && pauseAt is { } at && group.Key >= at)
            {
                paused = true;
                await AdvanceToAsync(at);
                await between!();
            }

            await AdvanceToAsync(group.Key);
            await Journeys.PublishAsync(group.ToList());
        }

        await AdvanceToAsync(until);
        await Journeys.DrainAsync();
    }

    private async Task AdvanceToAsync(DateTimeOffset at)
    {
        var now = Time.GetUtcNow();
        if (at > now)
        {
            await Journeys.DrainAsync(); // everything before is applied at its time before the clock moves on
            Time.Advance(at - now);
        }
    }

    /// <summary>Turns off the test host's in-process membership table and grain directory (built on that table), so the
    /// silos' membership is the Redis one configured here. Orleans 10.4 keeps these two switches internal (later versions
    /// make the first public): they are set by name, and a missing one fails every test loudly rather than silently
    /// leaving the cluster on the in-process table.</summary>
    private static void UseOwnMembership(InProcessTestClusterOptions options)
    {
        foreach (var name in new[] { "UseTestClusterMembership", "UseTestClusterGrainDirectory" })
        {
            var property = typeof(InProcessTestClusterOptions).GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException($"InProcessTestClusterOptions.{name} is gone: the test cluster cannot be put on Redis membership.");
            property.SetValue(options, false);
        }
    }

    public async Task KillAsync(InProcessSiloHandle silo)
    {
        Probes[silo.Name].Dead = true; // from here on its activations have no effect outside, as a dead process
        await Cluster.KillSiloAsync(silo);
        await Cluster.WaitForLivenessToStabilizeAsync(didKill: true);
    }

    /// <summary>The silos of this run's membership table in Redis, by silo name, with their status as Orleans wrote it
    /// (read straight from Redis: <c>{ServiceId}/members/{ClusterId}</c>, a hash of one JSON row per silo).</summary>
    public async Task<Dictionary<string, SiloStatus>> MembershipInRedisAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var rows = await redis.GetDatabase().HashGetAllAsync($"{ClusterId}/members/{ClusterId}");
        var silos = new Dictionary<string, SiloStatus>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Name != "Version"))
        {
            using var json = JsonDocument.Parse(row.Value.ToString());
            var status = json.RootElement.GetProperty("Status");
            silos[json.RootElement.GetProperty("SiloName").GetString()!] = status.ValueKind == JsonValueKind.Number
                ? (SiloStatus)status.GetInt32()
                : Enum.Parse<SiloStatus>(status.GetString()!);
        }

        return silos;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in Probes.Values)
        {
            probe.Dead = true;
        }

        await Cluster.DisposeAsync();
        await DeleteMembershipAsync(ClusterId); // the run's membership table
    }

    /// <summary>Deletes the Redis membership table of the cluster whose ServiceId and ClusterId are both <paramref name="id"/>.</summary>
    public static async Task DeleteMembershipAsync(string id)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        await redis.GetDatabase().KeyDeleteAsync($"{id}/members/{id}");
    }
}

/// <summary>One silo's channel, decision sink and storage gate.</summary>
internal sealed class SiloProbe(ClusterRun run) : IJourneyDecisionSink
{
    public volatile bool Dead;

    /// <summary>While set, the channel takes messages and never answers (they stay in the outbox).</summary>
    public volatile bool Holding;

    public ConcurrentQueue<OutboundMessage> Held { get; } = new();

    public TaskCompletionSource FirstHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int DeliveredCount;

    private IChannel? _channel;

    public IChannel Channel => _channel ??= new ProbeChannel(run, this);

    /// <summary>While set, the silo's decision stream takes a batch and never answers: the shard's later batches wait
    /// behind it in its publishing queue.</summary>
    public volatile bool StreamHolding;

    /// <summary>The batches the stream took while <see cref="StreamHolding"/> and never answered.</summary>
    public ConcurrentQueue<DecisionRecord[]> StreamHeld { get; } = new();

    public TaskCompletionSource FirstStreamHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When above zero, the silo's decision stream refuses (throws on) every this-many-th batch it is given.</summary>
    public int RefuseEveryNthBatch;

    /// <summary>The batches the stream refused.</summary>
    public ConcurrentQueue<DecisionRecord[]> StreamRefused { get; } = new();

    private int _streamBatches;

    private readonly Queue<(Func<Task> Publish, TaskCompletionSource Answer)> _waiting = new();

    /// <summary>Stops holding: the batches taken while <see cref="StreamHolding"/> are published now, in the order they were
    /// taken (each shard's later batches waited behind its first), and are no longer counted as held.</summary>
    public async Task ReleaseStreamAsync()
    {
        StreamHolding = false;
        while (true)
        {
            (Func<Task> Publish, TaskCompletionSource Answer) next;
            lock (_waiting)
            {
                if (!_waiting.TryDequeue(out next))
                {
                    StreamHeld.Clear();
                    return;
                }
            }

            try
            {
                await next.Publish();
                next.Answer.TrySetResult();
            }
            catch (Exception ex)
            {
                next.Answer.TrySetException(ex);
            }
        }
    }

    /// <summary>What the silo's decision stream does with a batch a shard hands it: a dead silo's stream refuses it, a
    /// holding one never answers, every <see cref="RefuseEveryNthBatch"/>-th is refused; the rest go to the real provider.</summary>
    public Task PublishAsync(DecisionRecord[] batch, Func<Task> publish)
    {
        if (Dead)
        {
            return Task.FromException(new IOException("The silo is dead."));
        }

        if (StreamHolding)
        {
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiting)
            {
                StreamHeld.Enqueue(batch);
                _waiting.Enqueue((publish, answer));
            }

            FirstStreamHeld.TrySetResult();
            return answer.Task; // a dead process never answers; a released stream publishes it late (ReleaseStreamAsync)
        }

        if (RefuseEveryNthBatch > 0 && Interlocked.Increment(ref _streamBatches) % RefuseEveryNthBatch == 0)
        {
            StreamRefused.Enqueue(batch);
            return Task.FromException(new IOException("The stream provider refused the batch."));
        }

        return publish();
    }

    public void Write(int shard, IReadOnlyList<JourneyDecision> decisions)
    {
        if (!Dead)
        {
            foreach (var d in decisions)
            {
                run.Decisions.Enqueue(d);
            }
        }
    }
}

internal sealed class ProbeChannel(ClusterRun run, SiloProbe probe) : IChannel
{
    public string Name => RecordingChannel.AnyName;

    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (probe.Holding && !probe.Dead)
        {
            probe.Held.Enqueue(message);
            probe.FirstHeld.TrySetResult();
        }

        if (probe.Dead || probe.Holding)
        {
            return new ValueTask<DeliveryResult>(new TaskCompletionSource<DeliveryResult>().Task); // a dead process never answers
        }

        run.Delivered.Enqueue(message);
        run.FirstDelivered.TrySetResult(message);
        Interlocked.Increment(ref probe.DeliveredCount);
        return ValueTask.FromResult(DeliveryResult.Delivered);
    }
}

/// <summary>The silo's grain storage, which refuses every call once the silo is dead.</summary>
internal sealed class KillableStorage(IGrainStorage inner, SiloProbe probe) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Live().ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Live().WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Live().ClearStateAsync(stateName, grainId, grainState);

    private IGrainStorage Live() => probe.Dead ? throw new IOException("The silo is dead.") : inner;
}
