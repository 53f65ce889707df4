using Journeys.Channels;
using Journeys.Testing;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="ConsoleChannel"/> keeps the channel contract; its transport is a text writer (one that fails
/// with an <see cref="IOException"/> for the failing case).</summary>
public sealed class ConsoleChannelContractTests : ChannelContractTests<ConsoleChannel>
{
    private readonly StringWriter _output = new();

    protected override ValueTask<ConsoleChannel> CreateChannelAsync() => ValueTask.FromResult(new ConsoleChannel("push", _output));

    protected override ValueTask<ConsoleChannel?> CreateFailingChannelAsync() => ValueTask.FromResult<ConsoleChannel?>(new ConsoleChannel("push", new BrokenWriter()));

    /// <summary>Each message is a header line (naming the customer) and its subject and body lines; the contract sends
    /// one customer's messages to a fresh writer per test, so every block is the key's.</summary>
    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey)
    {
        var blocks = new List<string>();
        foreach (var line in _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith(' '))
            {
                blocks.Add(line);
            }
            else
            {
                blocks[^1] += "\n" + line;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(blocks);
    }

    private sealed class BrokenWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("the pipe is closed");
    }
}
