using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workflows.Persistence.Converters;

/// <summary>
/// Normalises every DateTimeOffset to UTC before it reaches the database. Npgsql refuses
/// non-zero offsets for timestamptz and SQL Server would keep the caller's offset, so
/// without this a value would round-trip differently per provider.
/// </summary>
public sealed class UtcDateTimeOffsetConverter()
    : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v.ToUniversalTime());
