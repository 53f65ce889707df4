using System.Text.Json;

namespace Journeys.CrashHost;

/// <summary>An append-only JSON-lines file. Each line goes to the operating system in one write as it is logged, so a
/// killed process loses no logged line (at most the last one is torn, and readers skip it); <see cref="Sync"/> also
/// forces the lines to disk.</summary>
internal sealed class JsonLines : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    public JsonLines(string path) =>
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    public void Write<T>(T line)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line);
        var buffer = new byte[bytes.Length + 1];
        bytes.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        lock (_gate)
        {
            _file.Write(buffer);
        }
    }

    public void Sync()
    {
        lock (_gate)
        {
            _file.Flush(flushToDisk: true);
        }
    }

    public void Dispose() => _file.Dispose();
}
