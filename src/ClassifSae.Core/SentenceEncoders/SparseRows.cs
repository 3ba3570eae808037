namespace ClassifSae.SentenceEncoders;

/// <summary>A sparse matrix as its rows' (column, value) lists, with the two products a randomized SVD needs.</summary>
internal sealed class SparseRows((int[] Columns, float[] Values)[] rows, int columns)
{
    public int RowCount => rows.Length;
    public int ColumnCount => columns;

    /// <summary>X·B for dense B [columns, l] → [rows, l].</summary>
    public float[] Times(float[] b, int l)
    {
        var y = new float[rows.Length * l];
        Parallel.For(0, rows.Length, i =>
        {
            var (cols, vals) = rows[i];
            var yi = y.AsSpan(i * l, l);
            for (var t = 0; t < cols.Length; t++)
            {
                var bt = b.AsSpan(cols[t] * l, l);
                for (var c = 0; c < l; c++) yi[c] += vals[t] * bt[c];
            }
        });
        return y;
    }

    /// <summary>Xᵀ·Q for dense Q [rows, l] → [columns, l].</summary>
    public float[] TransposeTimes(float[] q, int l)
    {
        var z = new double[columns * l];
        for (var i = 0; i < rows.Length; i++)
        {
            var (cols, vals) = rows[i];
            for (var t = 0; t < cols.Length; t++)
            {
                var off = cols[t] * l;
                for (var c = 0; c < l; c++) z[off + c] += vals[t] * q[i * l + c];
            }
        }
        return z.Select(v => (float)v).ToArray();
    }
}
