using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workflows.Persistence.Converters;

/// <summary>
/// Stores a DateTimeOffset as its UTC ticks (INTEGER) on SQLite. SQLite has no date type and
/// EF cannot translate comparisons or ORDER BY on DateTimeOffset stored as TEXT; an integer
/// of UTC ticks compares and sorts exactly like the instants it stands for. Values read back
/// have offset zero, as on the other providers.
/// </summary>
public sealed class UtcTicksDateTimeOffsetConverter()
    : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
