using Orleans.Runtime;
using Orleans.Streams;

namespace Journeys.Orleans.Tests;

/// <summary>A silo's decision stream provider as its shards see it: the real memory stream provider, each batch published
/// through the silo's probe (<see cref="SiloProbe.PublishAsync"/>), which can refuse it, hold it, or cut it off with the
/// silo. Everything else (subscriptions, identity) is the real provider's.</summary>
internal sealed class GatedStreamProvider(IStreamProvider inner, SiloProbe probe) : IStreamProvider
{
    /// <summary>The name the shards are given (<see cref="JourneysSiloOptions.DecisionStreamProvider"/>) for the real
    /// provider <paramref name="provider"/>.</summary>
    public static string NameFor(string provider) => provider + "-gated";

    public string Name => NameFor(inner.Name);

    public bool IsRewindable => inner.IsRewindable;

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new GatedStream<T>(inner.GetStream<T>(streamId), probe);
}

internal sealed class GatedStream<T>(IAsyncStream<T> inner, SiloProbe probe) : IAsyncStream<T>
{
    public bool IsRewindable => inner.IsRewindable;

    public string ProviderName => inner.ProviderName;

    public StreamId StreamId => inner.StreamId;

    public Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null)
    {
        var items = batch.ToList();
        return probe.PublishAsync(items.OfType<DecisionRecord>().ToArray(), () => inner.OnNextBatchAsync(items, token));
    }

    public Task OnNextAsync(T item, StreamSequenceToken? token = null) => OnNextBatchAsync([item], token);

    public Task OnCompletedAsync() => inner.OnCompletedAsync();

    public Task OnErrorAsync(Exception ex) => inner.OnErrorAsync(ex);

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer) => inner.SubscribeAsync(observer);

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token, string? filterData = null) =>
        inner.SubscribeAsync(observer, token, filterData);

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncBatchObserver<T> observer) => inner.SubscribeAsync(observer);

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncBatchObserver<T> observer, StreamSequenceToken? token) => inner.SubscribeAsync(observer, token);

    public Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles() => inner.GetAllSubscriptionHandles();

    public bool Equals(IAsyncStream<T>? other) => inner.Equals(other is GatedStream<T> gated ? gated.Inner : other);

    public int CompareTo(IAsyncStream<T>? other) => inner.CompareTo(other is GatedStream<T> gated ? gated.Inner : other);

    public override bool Equals(object? obj) => obj is IAsyncStream<T> other && Equals(other);

    public override int GetHashCode() => inner.GetHashCode();

    private IAsyncStream<T> Inner => inner;
}
