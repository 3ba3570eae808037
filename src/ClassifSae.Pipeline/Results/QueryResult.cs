namespace ClassifSae.Results;

/// <summary>A fully read query result: column names and rows of plain .NET values (SQL NULL is null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new KeyNotFoundException($"Column '{name}' is not in the result ({string.Join(", ", Columns)}).");
    }
}
