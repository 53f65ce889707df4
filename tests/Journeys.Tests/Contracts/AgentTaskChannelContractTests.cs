using Journeys.Channels;
using Journeys.Delivery;
using Journeys.Sqlite;
using Journeys.Testing;
using Journeys.Tests.Support;

namespace Journeys.Tests.Contracts;

/// <summary><see cref="AgentTaskChannel"/> keeps the channel contract over a real SQLite call-back queue; the task's
/// title is the subject and its instructions the body. A failing sink is a queue whose file cannot be opened.</summary>
public sealed class AgentTaskChannelContractTests : ChannelContractTests<AgentTaskChannel>, IDisposable
{
    private readonly TempFolder _folder = new();
    private SqliteAgentTaskSink? _sink;

    private SqliteAgentTaskSink Sink => _sink ??= new SqliteAgentTaskSink(Path.Combine(_folder.Path, "tasks.db"));

    public void Dispose() => _folder.Dispose();

    protected override ValueTask<AgentTaskChannel> CreateChannelAsync() => ValueTask.FromResult(new AgentTaskChannel(new AgentTaskChannelOptions(), Sink));

    protected override ValueTask<AgentTaskChannel?> CreateFailingChannelAsync()
    {
        // The queue's file is gone and a folder stands in its place: SQLite cannot open it.
        var sink = new SqliteAgentTaskSink(Path.Combine(_folder.Path, "gone.db"));
        foreach (var file in Directory.GetFiles(_folder.Path, "gone.db*"))
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(sink.FilePath);
        return ValueTask.FromResult<AgentTaskChannel?>(new AgentTaskChannel(new AgentTaskChannelOptions(), sink));
    }

    protected override ValueTask<IReadOnlyList<string>> ReceivedAsync(string idempotencyKey) =>
        ValueTask.FromResult<IReadOnlyList<string>>(Sink.OpenTasks().Where(t => t.Id == idempotencyKey).Select(t => $"{t.Title}\n{t.Instructions}").ToList());
}
