namespace ClassifSae.Cli;

/// <summary><c>classifsae query --format</c>: the printable formats, plus Parquet (written with DuckDB's COPY, needs --output).</summary>
internal enum QueryOutputFormat { Text, Csv, Json, Markdown, Parquet }
