namespace Journeys.Tests.Support;

/// <summary>Wraps a fake clock's timer to report every due time it is changed to, so a test clock can tell when a timer
/// is started (a <see cref="CancellationTokenSource"/> creates its timer idle, then sets it).</summary>
internal sealed class ReportingTimer(ITimer inner, Action<TimeSpan> started) : ITimer
{
    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        var changed = inner.Change(dueTime, period);
        started(dueTime);
        return changed;
    }

    public void Dispose() => inner.Dispose();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
