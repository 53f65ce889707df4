namespace Journeys.Policy;

/// <summary>A customer's recent capped sends: time, channel and journey of each, oldest first. Only sends a cap can still
/// see are kept (older than the longest cap window are dropped on write), so memory per customer stays bounded.</summary>
internal sealed class SendLog
{
    private long[] _ticks = new long[4];
    private int[] _channel = new int[4];
    private int[] _journey = new int[4];
    private int _start;
    private int _count;

    public int Length => _count;

    public void Add(long ticks, int channel, int journey, long keepTicks)
    {
        while (_count > 0 && ticks - _ticks[_start] >= keepTicks)
        {
            _start = (_start + 1) % _ticks.Length;
            _count--;
        }

        if (_count == _ticks.Length)
        {
            Grow();
        }

        var at = (_start + _count) % _ticks.Length;
        (_ticks[at], _channel[at], _journey[at]) = (ticks, channel, journey);
        _count++;
    }

    private void Grow()
    {
        var n = _ticks.Length * 2;
        var (t, c, j) = (new long[n], new int[n], new int[n]);
        for (var k = 0; k < _count; k++)
        {
            var from = (_start + k) % _ticks.Length;
            (t[k], c[k], j[k]) = (_ticks[from], _channel[from], _journey[from]);
        }

        (_ticks, _channel, _journey, _start) = (t, c, j, 0);
    }

    /// <summary>Sends matching the filters (-1: any) made at <c>s</c> with <c>now - s &lt; window</c>, and the time the
    /// oldest of them stops counting.</summary>
    public (int Count, long OldestExpiresTicks) Count(long nowTicks, long windowTicks, int channel, int journey)
    {
        var n = 0;
        var oldestExpires = long.MaxValue;
        for (var k = 0; k < _count; k++)
        {
            var i = (_start + k) % _ticks.Length;
            var age = nowTicks - _ticks[i];
            if (age < 0 || age >= windowTicks || (channel >= 0 && _channel[i] != channel) || (journey >= 0 && _journey[i] != journey))
            {
                continue;
            }

            n++;
            oldestExpires = Math.Min(oldestExpires, _ticks[i] + windowTicks);
        }

        return (n, oldestExpires);
    }

    public IEnumerable<(long Ticks, int Channel, int Journey)> Entries()
    {
        for (var k = 0; k < _count; k++)
        {
            var i = (_start + k) % _ticks.Length;
            yield return (_ticks[i], _channel[i], _journey[i]);
        }
    }
}
