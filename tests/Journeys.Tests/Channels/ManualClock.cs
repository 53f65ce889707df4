using System.Threading.Channels;
using Journeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Tests.Channels;

/// <summary>A fake clock that also reports every timer started on it (Polly's back-off waits and attempt timeouts), so
/// a test can move time exactly when the channel waits. A timer counts as started when it is created or changed with a
/// finite due time (a <see cref="CancellationTokenSource"/> creates its timer idle, then sets it).</summary>
internal sealed class ManualClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ManualClock()
        : base(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>The due time of each timer, as it is started.</summary>
    public ChannelReader<TimeSpan> Timers => _timers.Reader;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ReportingTimer(base.CreateTimer(callback, state, dueTime, period), Report);
        Report(dueTime);
        return timer;
    }

    private void Report(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }
    }
}
