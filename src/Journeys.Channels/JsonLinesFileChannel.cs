using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>Appends each message as one JSON object per line to a file: for local runs and for handing messages to
/// another tool. Safe to call from several threads; disposing flushes and closes the file.</summary>
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
        var line = JsonSerializer.Serialize(message, Options);
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }

        return ValueTask.FromResult(DeliveryResult.Delivered);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
