using Microsoft.Data.Sqlite;

using SQLitePCL;

namespace MetaService.Sqlite;

/// <summary>
/// One SQL statement of the writer, prepared once on its connection and run through SQLite's own interface: bind, step,
/// read columns, reset. A <see cref="SqliteCommand"/> allocates a data reader, a record, a binder per parameter and boxes
/// each integer at every execution; the writer runs a dozen and a half of them per update, so its hot statements go this
/// way (measured in bench/README.md, session 41). They run inside the transaction the connection has open, as its
/// commands do. A failure is the <see cref="SqliteException"/> a command would throw. A command waits and retries when
/// another connection holds the write lock; these need not: the writer's transaction is begun immediate
/// (<c>BeginTransaction()</c>: <c>BEGIN IMMEDIATE</c>), so it holds that lock before any of them runs.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the writer's connection is not open");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var tail));
        if (!string.IsNullOrWhiteSpace(tail))
        {
            _statement.Dispose();
            throw new ArgumentException($"one statement only, not '{sql}'", nameof(sql));
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> (from 1, in the order the SQL names them).</summary>
    public RawStatement Bind(int index, long value) => Checked(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds a blob; null binds SQL NULL, and an empty array an empty blob.</summary>
    public RawStatement Bind(int index, byte[]? value) => value is null ? BindNull(index) : Checked(raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Binds a text.</summary>
    public RawStatement Bind(int index, string value) => Checked(raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Binds an integer, or SQL NULL when <paramref name="value"/> is null.</summary>
    public RawStatement Bind(int index, long? value) => value is { } number ? Bind(index, number) : BindNull(index);

    /// <summary>Runs the statement to its end (a write), then makes it ready for the next binding.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement up to its first row and hands the row to <paramref name="read"/> (none: null); the
    /// statement is reset after.</summary>
    public T? First<T>(Func<RawStatement, T> read)
        where T : struct
    {
        try
        {
            return Step() ? read(this) : null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Column <paramref name="column"/> (from 0) of the current row, as an integer.</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public void Dispose() => _statement.Dispose();

    private bool Step() => raw.sqlite3_step(_statement) switch
    {
        raw.SQLITE_ROW => true,
        raw.SQLITE_DONE => false,
        var code => throw Failure(code),
    };

    private RawStatement BindNull(int index) => Checked(raw.sqlite3_bind_null(_statement, index));

    private RawStatement Checked(int code)
    {
        Check(code);
        return this;
    }

    private void Check(int code)
    {
        if (code != raw.SQLITE_OK)
        {
            throw Failure(code);
        }
    }

    private SqliteException Failure(int code) => new(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {code}", code, raw.sqlite3_extended_errcode(_db));
}