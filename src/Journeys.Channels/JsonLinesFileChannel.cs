using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Appends each message as one JSON object per line to a file (all of <see cref="OutboundMessage"/>, the rendered
/// <c>subject</c> and <c>body</c> included when it has them): for local runs and for handing messages to another tool. One attempt; a write that fails (<see cref="IOException"/>, a full disk) is a retryable failure. Safe to call from several threads; disposing flushes and closes the file.</summary>
public sealed class JsonLinesFileChannel : IChannel, IDisposable
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    /// <summary>Opens (or creates) the file for appending.</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">The channel name it serves, or <c>*</c> for every name.</param>
    public JsonLinesFileChannel(string path, string name = RecordingChannel.AnyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _writer = new StreamWriter(path, append: true, new UTF8Encoding(false)) { NewLine = "\n" };
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var line = JsonSerializer.Serialize(message, Options);
        try
        {
            lock (_gate)
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
        }
        catch (IOException e)
        {
            // The disk is full or gone: retryable. (The line may sit in the writer's buffer: the file may get it twice.)
            return ValueTask.FromResult(DeliveryResult.Retry($"cannot write: {e.Message}"));
        }

        return ValueTask.FromResult(DeliveryResult.Delivered);
    }

    /// <summary>Flushes and closes the file. Lines a failing disk did not take (their sends were retryable failures) are
    /// dropped rather than thrown again here.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // The disk refused the buffered lines already; their sends were reported as retryable.
            }
        }
    }
}
