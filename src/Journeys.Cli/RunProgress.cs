using System.Globalization;

namespace Journeys.Cli;

/// <summary>Progress of a long run on stderr, never on stdout: on a terminal, one live line rewritten in place (and
/// erased at the end); otherwise one plain line per interval. Nothing is shown before the first interval has passed, so
/// a short run prints nothing. Told of the bytes of the events file read so far, from the reading thread.</summary>
internal sealed class RunProgress
{
    private readonly TextWriter _writer;
    private readonly bool _terminal;
    private readonly long _total;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private string _phase = "";
    private long _phaseStart;
    private long _lastShown;
    private long _lines;
    private bool _shownLive;

    /// <param name="writer">Where lines go: the terminal itself for a live line, else stderr.</param>
    /// <param name="terminal">Whether <paramref name="writer"/> is a terminal.</param>
    /// <param name="totalBytes">The events file's size, for the share read and the time left.</param>
    /// <param name="time">The clock.</param>
    public RunProgress(TextWriter writer, bool terminal, long totalBytes, TimeProvider time)
    {
        _writer = writer;
        _terminal = terminal;
        _total = Math.Max(totalBytes, 1);
        _time = time;
        _interval = terminal ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10);
    }

    /// <summary>Starts a phase (<c>checking</c>, <c>simulating</c>): counts and the clock start again.</summary>
    public void Phase(string name)
    {
        End();
        _phase = name;
        _phaseStart = _lastShown = _time.GetTimestamp();
        Interlocked.Exchange(ref _lines, 0);
    }

    /// <summary>Told every <paramref name="lines"/> lines of the bytes read so far.</summary>
    public void Read(long bytes, int lines = 4096)
    {
        var read = Interlocked.Add(ref _lines, lines);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastShown, now) < _interval)
        {
            return;
        }

        _lastShown = now;
        var elapsed = _time.GetElapsedTime(_phaseStart, now);
        var share = Math.Clamp((double)bytes / _total, 0, 1);
        var rate = read / Math.Max(elapsed.TotalSeconds, 1e-3);
        var left = share > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - share) / share) : TimeSpan.Zero;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"journeys: {_phase}: {read:N0} events read ({share * 100:F0}%), {rate:N0} events/s, about {Math.Ceiling(left.TotalSeconds):N0} s left");
        if (_terminal)
        {
            _writer.Write("\r" + text + "\u001b[K");
            _shownLive = true;
        }
        else
        {
            _writer.WriteLine(text);
        }

        _writer.Flush();
    }

    /// <summary>Erases the live line, if one was shown.</summary>
    public void End()
    {
        if (_shownLive)
        {
            _writer.Write("\r\u001b[K");
            _writer.Flush();
            _shownLive = false;
        }
    }
}
