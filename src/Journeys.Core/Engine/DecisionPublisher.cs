using Journeys.Decisions;
using Journeys.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Engine;

/// <summary>Hands committed decisions to the engine's observers: a partition publishes a batch once the state change that
/// made it is applied and saved, never in the middle of one. Each observer is isolated (Serilog's safe aggregate sink):
/// one that throws is logged and counted, the decision stands and the others still get it. Observers are held in an
/// array replaced on subscribe and dispose, so publishing reads it without a lock; each observer has its own lock, taken
/// once per batch, so its calls never overlap (partitions publish from their own threads) and no lock is shared by
/// partitions or taken per decision.</summary>
internal sealed class DecisionPublisher(ILogger log, JourneysMetrics metrics) : IObservable<JourneyDecision>
{
    private Subscriber[] _subscribers = [];

    /// <summary>True when somebody listens (publishing costs nothing otherwise).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Subscribes an observer of single decisions (<see cref="JourneyEngine.Decisions"/>).</summary>
    public IDisposable Subscribe(IObserver<JourneyDecision> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return Add(new Subscriber(observer, null));
    }

    /// <summary>Subscribes a reader of whole batches (<see cref="JourneyEngine.SubscribeBatches"/>).</summary>
    public IDisposable SubscribeBatches(Action<IReadOnlyList<JourneyDecision>> onBatch)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        return Add(new Subscriber(null, onBatch));
    }

    private Subscription Add(Subscriber subscriber)
    {
        Subscriber[] before, after;
        do
        {
            before = Volatile.Read(ref _subscribers);
            after = [.. before, subscriber];
        }
        while (Interlocked.CompareExchange(ref _subscribers, after, before) != before);

        return new Subscription(this, subscriber);
    }

    private void Remove(Subscriber subscriber)
    {
        Subscriber[] before, after;
        do
        {
            before = Volatile.Read(ref _subscribers);
            after = Array.FindAll(before, s => s != subscriber);
        }
        while (Interlocked.CompareExchange(ref _subscribers, after, before) != before);
    }

    /// <summary>Counts the batch's decisions and hands them to every observer, each isolated from the others.</summary>
    public void Publish(IReadOnlyList<JourneyDecision> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            metrics.Decision(batch[i]);
        }

        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }

        IReadOnlyList<JourneyDecision>? copy = null; // batch readers get a list of their own: the partition reuses its buffer
        foreach (var subscriber in subscribers)
        {
            lock (subscriber.Gate)
            {
                if (subscriber.Batches is { } onBatch)
                {
                    copy ??= batch.ToArray();
                    Deliver(onBatch, copy, copy[0]);
                    continue;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    Deliver(subscriber.Observer!, batch[i]);
                }
            }
        }
    }

    /// <summary>Publishes one decision made outside a partition's batch (a delivery that failed).</summary>
    public void Publish(JourneyDecision decision) => Publish([decision]);

    private void Deliver(IObserver<JourneyDecision> observer, JourneyDecision decision)
    {
        try
        {
            observer.OnNext(decision);
        }
        catch (Exception ex)
        {
            Failed(decision, ex);
        }
    }

    private void Deliver(Action<IReadOnlyList<JourneyDecision>> onBatch, IReadOnlyList<JourneyDecision> batch, JourneyDecision first)
    {
        try
        {
            onBatch(batch);
        }
        catch (Exception ex)
        {
            Failed(first, ex);
        }
    }

    private void Failed(JourneyDecision decision, Exception ex)
    {
        metrics.ObserverFailed();
        log.DecisionObserverError(decision.KindName, decision.JourneyId, ex);
    }

    /// <summary>Ends the observers' sequences (the engine stopped).</summary>
    public void Complete()
    {
        foreach (var subscriber in Interlocked.Exchange(ref _subscribers, []))
        {
            lock (subscriber.Gate)
            {
                try
                {
                    subscriber.Observer?.OnCompleted();
                }
                catch (Exception ex)
                {
                    metrics.ObserverFailed();
                    log.DecisionObserverError("completed", "", ex);
                }
            }
        }
    }

    private sealed class Subscriber(IObserver<JourneyDecision>? observer, Action<IReadOnlyList<JourneyDecision>>? batches)
    {
        public Lock Gate { get; } = new();

        public IObserver<JourneyDecision>? Observer { get; } = observer;

        public Action<IReadOnlyList<JourneyDecision>>? Batches { get; } = batches;
    }

    private sealed class Subscription(DecisionPublisher publisher, Subscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                publisher.Remove(subscriber);
            }
        }
    }
}
