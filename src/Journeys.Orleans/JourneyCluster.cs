using Journeys.Engine;
using Journeys.Interchange;
using Journeys.State;

namespace Journeys.Orleans;

/// <summary>The client-side router (see <see cref="IJourneyCluster"/>): groups inputs by shard and calls each shard grain
/// once per batch, the shards in parallel.</summary>
public sealed class JourneyCluster : IJourneyCluster
{
    private readonly IGrainFactory _grains;

    /// <summary>Creates a router over <paramref name="shardCount"/> shards.</summary>
    /// <param name="grains">The cluster client's (or a silo's) grain factory.</param>
    /// <param name="shardCount">The silos' <see cref="JourneysSiloOptions.ShardCount"/>: a power of two.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is not a power of two.</exception>
    public JourneyCluster(IGrainFactory grains, int shardCount = JourneysSiloOptions.DefaultShardCount)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckShardCount(shardCount);
        _grains = grains;
        ShardCount = shardCount;
    }

    internal static void CheckShardCount(int shardCount)
    {
        if (shardCount < 1 || (shardCount & (shardCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "The shard count must be a power of two (1, 2, 4, ... 1024 ...).");
        }
    }

    /// <inheritdoc />
    public int ShardCount { get; }

    /// <inheritdoc />
    public int ShardOf(string customerId) => CustomerPartitions.PartitionOf(customerId, ShardCount);

    private IJourneyShardGrain Shard(int shard) => _grains.GetGrain<IJourneyShardGrain>(shard);

    /// <inheritdoc />
    public Task PublishAsync(CustomerEvent customerEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerEvent);
        return Shard(ShardOf(customerEvent.CustomerId)).PublishAsync([ShardInput.Of(customerEvent)]).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return SendAsync(events.Select(e => (e.CustomerId, ShardInput.Of(e))), cancellationToken);
    }

    /// <inheritdoc />
    public Task PublishAsync(IReadOnlyList<SegmentInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return SendAsync(inputs.Select(i => (i.CustomerId, i.Event is { } e ? ShardInput.Of(e) : ShardInput.Of(i.Profile!))), cancellationToken);
    }

    /// <inheritdoc />
    public Task IdentifyAsync(CustomerProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.CustomerId);
        return Shard(ShardOf(profile.CustomerId)).PublishAsync([ShardInput.Of(profile)]).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<CustomerView?> InspectCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return Shard(ShardOf(customerId)).InspectCustomerAsync(customerId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<ForgetResult> ForgetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return Shard(ShardOf(customerId)).ForgetAsync(customerId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> PauseJourneyAsync(string journeyId, CancellationToken cancellationToken = default) =>
        SetPausedAsync(journeyId, paused: true, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ResumeJourneyAsync(string journeyId, CancellationToken cancellationToken = default) =>
        SetPausedAsync(journeyId, paused: false, cancellationToken);

    private async Task<bool> SetPausedAsync(string journeyId, bool paused, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(journeyId);
        var changed = await Task.WhenAll(Enumerable.Range(0, ShardCount).Select(s => Shard(s).SetJourneyPausedAsync(journeyId, paused)))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return changed.Any(c => c);
    }

    /// <inheritdoc />
    public Task DrainAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Enumerable.Range(0, ShardCount).Select(s => Shard(s).DrainAsync())).WaitAsync(cancellationToken);

    private Task SendAsync(IEnumerable<(string CustomerId, ShardInput Input)> inputs, CancellationToken cancellationToken)
    {
        var byShard = new Dictionary<int, List<ShardInput>>();
        foreach (var (customerId, input) in inputs)
        {
            var shard = ShardOf(customerId);
            if (!byShard.TryGetValue(shard, out var list))
            {
                byShard[shard] = list = [];
            }

            list.Add(input);
        }

        return Task.WhenAll(byShard.Select(kv => Shard(kv.Key).PublishAsync([.. kv.Value]))).WaitAsync(cancellationToken);
    }
}
