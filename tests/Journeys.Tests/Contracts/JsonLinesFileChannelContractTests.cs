using System.Text.Json;
using Journeys.Channels;
using Journeys.Testing;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="JsonLinesFileChannel"/> keeps the channel contract against a real file (and, for the failing
/// case, <c>/dev/full</c>, whose writes fail with "no space left on device").</summary>
public sealed class JsonLinesFileChannelContractTests : ChannelContractTests<JsonLinesFileChannel>
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"journeys-contract-{Guid.NewGuid():N}.jsonl");

    protected override ValueTask<JsonLinesFileChannel> CreateChannelAsync() => ValueTask.FromResult(new JsonLinesFileChannel(_path, "push"));

    protected override ValueTask<JsonLinesFileChannel?> CreateFailingChannelAsync() =>
        ValueTask.FromResult(OperatingSystem.IsLinux() && File.Exists("/dev/full") ? new JsonLinesFileChannel("/dev/full", "push") : null);

    protected override async ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey)
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        // Read while the channel may still hold the file open for appending.
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var received = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.GetProperty("idempotencyKey").GetString() == idempotencyKey)
            {
                received.Add($"{root.GetProperty("subject").GetString()}\n{root.GetProperty("body").GetString()}");
            }
        }

        return received;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_path);
    }
}
