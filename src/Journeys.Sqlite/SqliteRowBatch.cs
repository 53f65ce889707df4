using System.Text;
using Microsoft.Data.Sqlite;

namespace Journeys.Sqlite;

/// <summary>One prepared statement over many rows, run as few times as possible: a statement of <see cref="ChunkRows"/>
/// rows (a multi-row <c>VALUES</c> list or an <c>IN</c> list) for each full chunk of the rows given, and one of a single
/// row for the rest, both prepared once and reused for every batch. Rows are bound in the order given, so a multi-row
/// insert assigns its rowids in that order (the outbox's order).
/// <para>Why: each statement run through Microsoft.Data.Sqlite costs a reset, a bind per parameter and a step; one run
/// for 32 rows pays the fixed part once. 32 rows × 3 parameters stays far under SQLite's limit on parameters (32,766).</para>
/// <para>A statement of several rows that may stop on a constraint halfway must be written <c>INSERT OR FAIL</c>: with
/// the default (<c>ABORT</c>) SQLite keeps a statement journal — the original image of every page the statement touches,
/// spilled to a temporary file past 64 KiB — to undo just that statement, which tripled the bytes a save wrote. The
/// store never needs that: a failed statement fails the save, whose whole transaction is rolled back.</para></summary>
/// <typeparam name="T">A row.</typeparam>
internal sealed class SqliteRowBatch<T> : IDisposable
{
    /// <summary>Rows per chunk statement.</summary>
    public const int ChunkRows = 32;

    private readonly SqliteCommand _one;
    private readonly SqliteParameter[] _oneParameters;
    private readonly SqliteCommand _chunk;
    private readonly SqliteParameter[] _chunkParameters;
    private readonly Action<T, SqliteParameter[], int> _bind;
    private readonly int _columns;

    /// <summary>Prepares both statements on <paramref name="connection"/>.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="statement">The statement, given the text of its rows (<c>($a0, $b0), ($a1, $b1)</c>, or
    /// <c>$a0, $a1</c> with one column).</param>
    /// <param name="columns">Each column's parameter name prefix (such as <c>$id</c>) and type.</param>
    /// <param name="bind">Sets a row's values: the parameters and the index of the row's first one.</param>
    public SqliteRowBatch(SqliteConnection connection, Func<string, string> statement, (string Name, SqliteType Type)[] columns,
        Action<T, SqliteParameter[], int> bind)
    {
        _columns = columns.Length;
        _bind = bind;
        (_one, _oneParameters) = Prepare(connection, statement, columns, 1);
        (_chunk, _chunkParameters) = Prepare(connection, statement, columns, ChunkRows);
    }

    /// <summary>Runs the statement over <paramref name="rows"/> in <paramref name="transaction"/>.</summary>
    /// <returns>How many statements ran.</returns>
    public int Execute(IReadOnlyList<T> rows, SqliteTransaction transaction)
    {
        _one.Transaction = _chunk.Transaction = transaction;
        try
        {
            var runs = 0;
            var i = 0;
            for (; i + ChunkRows <= rows.Count; i += ChunkRows, runs++)
            {
                for (var r = 0; r < ChunkRows; r++)
                {
                    _bind(rows[i + r], _chunkParameters, r * _columns);
                }

                _chunk.ExecuteNonQuery();
            }

            for (; i < rows.Count; i++, runs++)
            {
                _bind(rows[i], _oneParameters, 0);
                _one.ExecuteNonQuery();
            }

            return runs;
        }
        finally
        {
            _one.Transaction = _chunk.Transaction = null;
            Array.ForEach(_chunkParameters, p => p.Value = DBNull.Value); // the batch's payloads are not kept alive by the store
            Array.ForEach(_oneParameters, p => p.Value = DBNull.Value);
        }
    }

    public void Dispose()
    {
        _one.Dispose();
        _chunk.Dispose();
    }

    private static (SqliteCommand, SqliteParameter[]) Prepare(SqliteConnection connection, Func<string, string> statement,
        (string Name, SqliteType Type)[] columns, int rows)
    {
        var command = connection.CreateCommand();
        var parameters = new SqliteParameter[rows * columns.Length];
        var text = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "" : ", ").Append(columns.Length == 1 ? "" : "(");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = columns[c].Name + r.ToString(System.Globalization.CultureInfo.InvariantCulture);
                text.Append(c == 0 ? "" : ", ").Append(name);
                parameters[r * columns.Length + c] = command.Parameters.Add(name, columns[c].Type);
            }

            text.Append(columns.Length == 1 ? "" : ")");
        }

        command.CommandText = statement(text.ToString());
        command.Prepare();
        return (command, parameters);
    }
}
