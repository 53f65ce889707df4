using Journeys.Compilation;
using Journeys.Decisions;
using Journeys.Delivery;
using Journeys.Interchange;

namespace Journeys.Engine;

public sealed partial class Simulator
{
    /// <summary>Runs inputs that come in timestamp order (ties in line order), holding neither the inputs nor the run:
    /// each decision is handed to <paramref name="decided"/> as soon as no later decision can come before it — the
    /// decisions of an instant together, once the run has moved past it, in the order <see cref="Run"/> returns them
    /// ((time, customer, sequence)). So the memory a run takes is its customers' state and one instant's decisions,
    /// however many inputs it reads: what <c>journeys simulate</c> streams from.</summary>
    /// <param name="inputs">The inputs, in timestamp order (ties in line order); read once, one at a time.</param>
    /// <param name="until">When the run ends (later inputs are not read); null for the last input's time.</param>
    /// <param name="decided">Told of each decision, in order.</param>
    /// <param name="applying">Told of each input just before it is applied, as in <see cref="Run"/>, or null.</param>
    /// <exception cref="ArgumentException">An input is earlier than the one before it.</exception>
    public void RunInOrder(IEnumerable<SegmentInput> inputs, DateTimeOffset? until, Action<JourneyDecision> decided,
        Action<SegmentInput, long>? applying = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(decided);
        var sink = new InstantSink(decided);
        PartitionProcessor? processor = null;
        processor = new PartitionProcessor(new RuntimeModel(_catalog), sink, Deliver(sink, () => processor!));

        var end = until?.UtcTicks ?? long.MaxValue;
        long last = long.MinValue;
        SegmentInput? previous = null;
        foreach (var input in inputs)
        {
            var now = input.Timestamp.UtcTicks;
            if (now < last)
            {
                throw new ArgumentException(
                    $"inputs must come in timestamp order: line {input.Line} is earlier than line {previous!.Line}", nameof(inputs));
            }

            if (now > end)
            {
                break;
            }

            // The timers due by now fire first (what Process and Identify do first, done here so that applying's mark
            // comes after their decisions); after that, nothing decided can be earlier than now.
            processor.AdvanceTo(now);
            if (now > last)
            {
                sink.Release(now);
                last = now;
            }

            applying?.Invoke(input, sink.NextSequence);
            if (input.Event is { } e)
            {
                processor.Process(e, now);
            }
            else
            {
                processor.Identify(input.Profile!, now);
            }

            previous = input;
        }

        processor.AdvanceTo(until is null ? Math.Max(last, 0) : end);
        sink.Release(long.MaxValue);
    }

    /// <summary>Holds the decisions of the instants the run has not yet moved past and releases them in
    /// (time, customer, sequence) order.</summary>
    private sealed class InstantSink(Action<JourneyDecision> decided) : IDecisionSink
    {
        private readonly List<JourneyDecision> _pending = [];
        private long _released = long.MinValue;

        /// <summary>The sequence number of the processor's next decision (a failed delivery's is <see cref="long.MaxValue"/>).</summary>
        public long NextSequence { get; private set; }

        public void Emit(JourneyDecision decision)
        {
            if (decision.Timestamp.UtcTicks < _released)
            {
                throw new InvalidOperationException(
                    $"a decision at {decision.Timestamp:O} came after the decisions before {new DateTimeOffset(_released, TimeSpan.Zero):O} were released");
            }

            _pending.Add(decision);
            if (decision.Sequence != long.MaxValue)
            {
                NextSequence = decision.Sequence + 1;
            }
        }

        /// <summary>Hands on, in order, every decision held that is earlier than <paramref name="before"/>.</summary>
        public void Release(long before)
        {
            if (_pending.Count > 0)
            {
                _pending.Sort(Order);
                var count = 0;
                while (count < _pending.Count && _pending[count].Timestamp.UtcTicks < before)
                {
                    decided(_pending[count++]);
                }

                _pending.RemoveRange(0, count);
            }

            _released = Math.Max(_released, before);
        }

        private static int Order(JourneyDecision a, JourneyDecision b)
        {
            var c = a.Timestamp.UtcTicks.CompareTo(b.Timestamp.UtcTicks);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.CustomerId, b.CustomerId);
            }

            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        }
    }
}
