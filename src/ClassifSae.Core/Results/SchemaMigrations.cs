namespace ClassifSae.Results;

/// <summary>
/// The schema versions this build knows, oldest first. To change the layout: edit
/// results-db/schema.sql (new stores), bump its "schema-version" line, and append a
/// migration here that brings the previous version's tables to the same shape.
/// </summary>
internal static class SchemaMigrations
{
    public const int Current = 2;

    /// <summary>What a brand-new store is created as (recorded in schema_info).</summary>
    public const string CurrentDescription = "created at schema version 2";

    public static readonly IReadOnlyList<SchemaMigration> All =
    [
        new(2, "metrics.formula_version; views latest_metrics and summary",
            """
            ALTER TABLE metrics ADD COLUMN formula_version INTEGER DEFAULT 1;
            UPDATE metrics SET formula_version = 1 WHERE formula_version IS NULL;
            ALTER TABLE metrics ALTER COLUMN formula_version SET NOT NULL;
            """),
    ];
}
