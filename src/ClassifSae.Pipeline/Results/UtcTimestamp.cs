namespace ClassifSae.Results;

/// <summary>DuckDB TIMESTAMP holds microseconds and no time zone; we store UTC and truncate so values round-trip exactly.</summary>
internal static class UtcTimestamp
{
    public static DateTime ToStored(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Unspecified);
    }

    public static DateTime FromStored(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
