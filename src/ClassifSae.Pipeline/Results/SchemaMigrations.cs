namespace ClassifSae.Results;

/// <summary>
/// The schema versions this build knows, oldest first. To change the layout: edit
/// results-db/schema.sql (new stores), bump its "schema-version" line, and append a
/// migration here that brings the previous version's tables to the same shape.
/// </summary>
internal static class SchemaMigrations
{
    public const int Current = 9;

    /// <summary>What a brand-new store is created as (recorded in schema_info).</summary>
    public const string CurrentDescription = "created at schema version 6";

    public static readonly IReadOnlyList<SchemaMigration> All =
    [
        new(2, "metrics.formula_version; views latest_metrics and summary",
            """
            ALTER TABLE metrics ADD COLUMN formula_version INTEGER DEFAULT 1;
            UPDATE metrics SET formula_version = 1 WHERE formula_version IS NULL;
            ALTER TABLE metrics ALTER COLUMN formula_version SET NOT NULL;
            """),
        new(3, "concepts, top_sentences, artefacts, reference_results; paper-table views",
            """
            CREATE TABLE artefacts (
                run_id  TEXT   NOT NULL,
                stage   TEXT   NOT NULL,
                path    TEXT   NOT NULL,
                bytes   BIGINT NOT NULL,
                sha256  TEXT   NOT NULL,
                PRIMARY KEY (run_id, stage, path)
            );
            CREATE TABLE concepts (
                run_id              TEXT    NOT NULL,
                method              TEXT    NOT NULL,
                concept             INTEGER NOT NULL,
                n_concepts          INTEGER NOT NULL,
                selected            BOOLEAN NOT NULL,
                segment_class       INTEGER,
                segment_class_name  TEXT,
                segment_rank        INTEGER,
                activation_rate_pct DOUBLE,
                activation_rate_source TEXT,
                subtopic_purity     DOUBLE,
                pca_x               DOUBLE,
                pca_y               DOUBLE,
                PRIMARY KEY (run_id, method, concept)
            );
            CREATE TABLE top_sentences (
                run_id         TEXT    NOT NULL,
                method         TEXT    NOT NULL,
                concept        INTEGER NOT NULL,
                rank           INTEGER NOT NULL,
                sentence_index INTEGER NOT NULL,
                activation     DOUBLE  NOT NULL,
                text           TEXT    NOT NULL,
                label          INTEGER NOT NULL,
                sub_topic      INTEGER,
                PRIMARY KEY (run_id, method, concept, rank)
            );
            CREATE TABLE reference_results (
                seed         INTEGER NOT NULL,
                model        TEXT    NOT NULL,
                dataset      TEXT    NOT NULL,
                method       TEXT,
                paper_method TEXT    NOT NULL,
                metric       TEXT    NOT NULL,
                value        DOUBLE,
                value_text   TEXT    NOT NULL,
                PRIMARY KEY (seed, model, dataset, paper_method, metric)
            );
            """),
        new(4, "metrics.encoder; latest_metrics keeps encoders apart",
            """
            ALTER TABLE metrics ADD COLUMN encoder TEXT;
            """),
        // A run's folder is <runs>/<profile>/<model>/<dataset>/seed<N>, which is its run_id without the trailing config
        // hash; an absolute path keeps what follows the last "/" before that folder. Paths without it stay as they were.
        new(5, "runs.cpu_model; artefact and manifest paths relative to the runs folder",
            """
            ALTER TABLE runs ADD COLUMN cpu_model TEXT;
            UPDATE artefacts SET path = substr(replace(path, '\', '/'),
                    strpos(replace(path, '\', '/'), '/' || regexp_replace(run_id, '/[^/]*$', '') || '/') + 1)
                WHERE strpos(replace(path, '\', '/'), '/' || regexp_replace(run_id, '/[^/]*$', '') || '/') > 0;
            UPDATE stages SET manifest_path = substr(replace(manifest_path, '\', '/'),
                    strpos(replace(manifest_path, '\', '/'), '/' || regexp_replace(run_id, '/[^/]*$', '') || '/') + 1)
                WHERE strpos(replace(manifest_path, '\', '/'), '/' || regexp_replace(run_id, '/[^/]*$', '') || '/') > 0;
            """),
        // Every run recorded before the key existed ran the paper's method.
        new(6, "runs.method_version; views keep method versions apart",
            """
            ALTER TABLE runs ADD COLUMN method_version TEXT DEFAULT 'paper-2025';
            UPDATE runs SET method_version = 'paper-2025' WHERE method_version IS NULL;
            ALTER TABLE runs ALTER COLUMN method_version SET NOT NULL;
            """),
        new(7, "metrics.class, ablation_pct, k split out of packed names; reference_results reloaded the same way; concept_effects, training_curves, confusion",
            Version7()),
        new(8, "concept_histograms", """
            CREATE TABLE concept_histograms (
                run_id    TEXT    NOT NULL,
                method    TEXT    NOT NULL,
                concept   INTEGER NOT NULL,
                bin       INTEGER NOT NULL,
                lower     DOUBLE  NOT NULL,
                upper     DOUBLE  NOT NULL,
                sentences INTEGER NOT NULL,
                PRIMARY KEY (run_id, method, concept, bin)
            );
            """),
        // Decoders helper's step (spec 04 §3.5): the rope scaling each run's model computes with.
        new(9, "runs.rope_scaling",
            """
            ALTER TABLE runs ADD COLUMN rope_scaling TEXT;
            """),
    ];

    // The published numbers come from the embedded CSV: the table is recreated empty and reloaded (split) on open.
    private static string Version7()
    {
        var (metric, cls, pct, k) = MetricNames.SqlColumns("metric");
        return $"""
            ALTER TABLE metrics ADD COLUMN class INTEGER;
            ALTER TABLE metrics ADD COLUMN ablation_pct INTEGER;
            ALTER TABLE metrics ADD COLUMN k INTEGER;
            UPDATE metrics SET class = {cls}, ablation_pct = {pct}, k = {k}, metric = {metric};
            DROP TABLE reference_results;
            CREATE TABLE reference_results (
                seed         INTEGER NOT NULL,
                model        TEXT    NOT NULL,
                dataset      TEXT    NOT NULL,
                method       TEXT,
                paper_method TEXT    NOT NULL,
                metric       TEXT    NOT NULL,
                value        DOUBLE,
                value_text   TEXT    NOT NULL,
                class        INTEGER,
                ablation_pct INTEGER,
                k            INTEGER,
                paper_metric TEXT    NOT NULL,
                PRIMARY KEY (seed, model, dataset, paper_method, paper_metric)
            );
            CREATE TABLE concept_effects (
                run_id           TEXT    NOT NULL,
                method           TEXT    NOT NULL,
                concept          INTEGER NOT NULL,
                active_sentences INTEGER NOT NULL,
                label_flip       DOUBLE  NOT NULL,
                tvd              DOUBLE  NOT NULL,
                acc_change       DOUBLE  NOT NULL,
                PRIMARY KEY (run_id, method, concept)
            );
            CREATE TABLE training_curves (
                run_id  TEXT    NOT NULL,
                stage   TEXT    NOT NULL,
                curve   TEXT    NOT NULL,
                term    TEXT    NOT NULL,
                x_unit  TEXT    NOT NULL,
                x       DOUBLE  NOT NULL,
                value   DOUBLE  NOT NULL,
                PRIMARY KEY (run_id, stage, curve, term, x)
            );
            CREATE TABLE confusion (
                run_id          TEXT    NOT NULL,
                stage           TEXT    NOT NULL,
                method          TEXT,
                split           TEXT    NOT NULL,
                true_class      INTEGER NOT NULL,
                predicted_class INTEGER NOT NULL,
                count           INTEGER NOT NULL
            );
            """;
    }

}
