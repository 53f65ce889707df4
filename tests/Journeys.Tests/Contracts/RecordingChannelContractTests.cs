using Journeys.Delivery;
using Journeys.Testing;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="RecordingChannel"/> keeps the channel contract; its transport is its list of messages.</summary>
public sealed class RecordingChannelContractTests : ChannelContractTests<RecordingChannel>
{
    private RecordingChannel? _channel;

    protected override ValueTask<RecordingChannel> CreateChannelAsync() => ValueTask.FromResult(_channel = new RecordingChannel("push"));

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(
            (_channel?.Messages ?? []).Where(m => m.IdempotencyKey == idempotencyKey).Select(m => $"{m.Subject}\n{m.Body}").ToList());
}
