using System.Globalization;
using System.Text.Json;
using Journeys.Delivery;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>A durable call-back queue in a SQLite file of its own (not the journey store's): the agent-task channel adds
/// tasks (one per id), the host's task screen lists the open ones (<see cref="OpenTasks"/>) and completes them
/// (<see cref="Complete"/>), then publishes the task's <see cref="AgentTask.Completed"/> event to the engine. Every write
/// is committed (WAL, synchronous FULL) before the call returns. Safe from several threads: each call uses its own
/// connection.</summary>
public sealed class SqliteAgentTaskSink : IAgentTaskSink
{
    private readonly string _connectionString;

    /// <summary>Opens the queue in <paramref name="path"/>, creating the file and its table when missing (its folder must
    /// exist). Use a file of its own: the journey store refuses a file with tables it does not know.</summary>
    public SqliteAgentTaskSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString;
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS agent_tasks (
              id TEXT PRIMARY KEY, queue TEXT NOT NULL, customer TEXT NOT NULL, journey TEXT NOT NULL, version INTEGER NOT NULL,
              step TEXT NOT NULL, template TEXT NOT NULL, title TEXT, instructions TEXT NOT NULL, assignee TEXT,
              priority INTEGER NOT NULL, created_at TEXT NOT NULL, due_at TEXT NOT NULL, completion_event TEXT NOT NULL,
              fields TEXT NOT NULL, completed_at TEXT, outcome TEXT)
            """);
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(AgentTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO agent_tasks (id, queue, customer, journey, version, step, template, title, instructions, assignee, priority,
              created_at, due_at, completion_event, fields)
            VALUES ($id, $queue, $customer, $journey, $version, $step, $template, $title, $instructions, $assignee, $priority,
              $created, $due, $event, $fields)
            ON CONFLICT (id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", task.Id);
        command.Parameters.AddWithValue("$queue", task.Queue);
        command.Parameters.AddWithValue("$customer", task.CustomerId);
        command.Parameters.AddWithValue("$journey", task.JourneyId);
        command.Parameters.AddWithValue("$version", task.JourneyVersion);
        command.Parameters.AddWithValue("$step", task.Step);
        command.Parameters.AddWithValue("$template", task.Template);
        command.Parameters.AddWithValue("$title", (object?)task.Title ?? DBNull.Value);
        command.Parameters.AddWithValue("$instructions", task.Instructions);
        command.Parameters.AddWithValue("$assignee", (object?)task.Assignee ?? DBNull.Value);
        command.Parameters.AddWithValue("$priority", task.Priority);
        command.Parameters.AddWithValue("$created", Time(task.CreatedAt));
        command.Parameters.AddWithValue("$due", Time(task.DueAt));
        command.Parameters.AddWithValue("$event", task.CompletionEvent);
        command.Parameters.AddWithValue("$fields", JsonSerializer.Serialize(task.Fields));
        return ValueTask.FromResult(command.ExecuteNonQuery() == 1);
    }

    /// <summary>The tasks not yet completed, of one queue or all (null), earliest due first.</summary>
    public IReadOnlyList<AgentTask> OpenTasks(string? queue = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM agent_tasks WHERE completed_at IS NULL AND ($queue IS NULL OR queue = $queue) ORDER BY due_at, rowid";
        command.Parameters.AddWithValue("$queue", (object?)queue ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var tasks = new List<AgentTask>();
        while (reader.Read())
        {
            tasks.Add(Read(reader));
        }

        return tasks;
    }

    /// <summary>Marks an open task done and returns it, to publish its <see cref="AgentTask.Completed"/> event; null when
    /// no open task has that id (unknown, or completed already — so the event is published once).</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="outcome">How it went.</param>
    /// <param name="completedAt">When.</param>
    public AgentTask? Complete(string id, string outcome, DateTimeOffset completedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE agent_tasks SET completed_at = $at, outcome = $outcome WHERE id = $id AND completed_at IS NULL RETURNING *";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$at", Time(completedAt));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static AgentTask Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(r.GetOrdinal("id")),
        Queue = r.GetString(r.GetOrdinal("queue")),
        CustomerId = r.GetString(r.GetOrdinal("customer")),
        JourneyId = r.GetString(r.GetOrdinal("journey")),
        JourneyVersion = r.GetInt32(r.GetOrdinal("version")),
        Step = r.GetString(r.GetOrdinal("step")),
        Template = r.GetString(r.GetOrdinal("template")),
        Title = r.IsDBNull(r.GetOrdinal("title")) ? null : r.GetString(r.GetOrdinal("title")),
        Instructions = r.GetString(r.GetOrdinal("instructions")),
        Assignee = r.IsDBNull(r.GetOrdinal("assignee")) ? null : r.GetString(r.GetOrdinal("assignee")),
        Priority = r.GetInt32(r.GetOrdinal("priority")),
        CreatedAt = DateTimeOffset.Parse(r.GetString(r.GetOrdinal("created_at")), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        DueAt = DateTimeOffset.Parse(r.GetString(r.GetOrdinal("due_at")), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        CompletionEvent = r.GetString(r.GetOrdinal("completion_event")),
        Fields = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(r.GetOrdinal("fields"))) ?? [],
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000");
        return connection;
    }
}
