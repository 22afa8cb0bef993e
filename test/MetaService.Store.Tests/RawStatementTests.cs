using MetaService.Sqlite;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The writer's statements run through SQLite's own interface: what they bind is what a command would bind,
/// they join the connection's open transaction, and a failure is the <see cref="SqliteException"/> a command throws.</summary>
public sealed class RawStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public RawStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value BLOB, number INTEGER)";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void WhatItBinds_IsReadBackAsBound_NullsAndEmptyBlobsApart()
    {
        using (var insert = new RawStatement(_connection, "INSERT INTO t(id, name, value, number) VALUES (?1, ?2, ?3, ?4)"))
        {
            insert.Bind(1, 1L).Bind(2, "名 one").Bind(3, (byte[])[1, 2, 3]).Bind(4, (long?)-7).Execute();
            insert.Bind(1, 2L).Bind(2, "two").Bind(3, (byte[])[]).Bind(4, (long?)null).Execute();
            insert.Bind(1, 3L).Bind(2, "three").Bind(3, (byte[]?)null).Bind(4, long.MaxValue).Execute();
        }

        Assert.Equal(
            ["1|名 one|blob:010203|-7", "2|two|blob:|null", "3|three|null|9223372036854775807"],
            Rows("SELECT id, name, CASE WHEN value IS NULL THEN 'null' ELSE 'blob:' || hex(value) END, coalesce(number, 'null') FROM t ORDER BY id"));
    }

    [Fact]
    public void First_ReadsTheFirstRow_OrNone_AndTheStatementRunsAgain()
    {
        using var insert = new RawStatement(_connection, "INSERT INTO t(id, number) VALUES (?1, ?2)");
        using var find = new RawStatement(_connection, "SELECT number, id FROM t WHERE id >= ?1 ORDER BY id");
        insert.Bind(1, 5L).Bind(2, 50L).Execute();
        insert.Bind(1, 6L).Bind(2, 60L).Execute();

        Assert.Equal((50L, 5L), find.Bind(1, 1L).First(static row => (row.Int64(0), row.Int64(1))));
        Assert.Equal((60L, 6L), find.Bind(1, 6L).First(static row => (row.Int64(0), row.Int64(1))));
        Assert.Null(find.Bind(1, 7L).First(static row => row.Int64(0)));
    }

    [Fact]
    public void ItsWrites_JoinTheOpenTransaction_AndRollBackWithIt()
    {
        using var insert = new RawStatement(_connection, "INSERT INTO t(id) VALUES (?1)");
        using (var transaction = _connection.BeginTransaction())
        {
            insert.Bind(1, 1L).Execute();
            Assert.Equal(["1"], Rows("SELECT id FROM t", transaction));
        }

        Assert.Empty(Rows("SELECT id FROM t"));
    }

    [Fact]
    public void AFailure_IsTheSqliteExceptionACommandThrows_AndTheStatementRunsAgain()
    {
        using var insert = new RawStatement(_connection, "INSERT INTO t(id) VALUES (?1)");
        insert.Bind(1, 1L).Execute();

        var failure = Assert.Throws<SqliteException>(() => insert.Bind(1, 1L).Execute());

        Assert.Equal(19, failure.SqliteErrorCode);
        Assert.Contains("UNIQUE constraint failed: t.id", failure.Message, StringComparison.Ordinal);
        insert.Bind(1, 2L).Execute();
        Assert.Equal(["1", "2"], Rows("SELECT id FROM t ORDER BY id"));
    }

    [Fact]
    public void SqlOfMoreThanOneStatement_OrNotSql_IsRefused()
    {
        var twoStatements = Assert.Throws<ArgumentException>(() => new RawStatement(_connection, "DELETE FROM t; DELETE FROM t"));
        Assert.StartsWith("one statement only, not 'DELETE FROM t; DELETE FROM t'", twoStatements.Message, StringComparison.Ordinal);
        Assert.Throws<SqliteException>(() => new RawStatement(_connection, "SELEKT 1"));
    }

    private List<string> Rows(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}