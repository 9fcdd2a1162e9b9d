#pragma warning disable EF1001 // EF's SQLite connection service is internal API; see the summary.
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Workflows.Persistence;

/// <summary>
/// EF's SQLite connection without the SQL functions EF registers on every connection it creates (<c>regexp</c> and the
/// <c>ef_*</c> decimal helpers). Microsoft.Data.Sqlite registers a connection's functions again on every open, also for
/// a pooled native handle, and each registration allocates a finalizable handle: with eleven functions that was about
/// 20 µs of CPU and eleven finalizers per transaction, a tenth of a resume. The model has no decimal column and no query
/// uses <c>Regex.IsMatch</c>; a query that needs one of these functions fails with "no such function" (see
/// Persistence.Tests' <c>SqliteConnectionTests</c>).
/// </summary>
internal sealed class PlainSqliteRelationalConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    protected override DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());

    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) =>
        builder.ReplaceService<ISqliteRelationalConnection, PlainSqliteRelationalConnection>();
}
