-- schema-version: 2
--
-- ClassifSae results store (DuckDB). This file is the full, current layout used to
-- create a new store; it is embedded into ClassifSae.Core as ClassifSae.Results.schema.sql.
-- Older stores are upgraded in place by the ordered migrations in
-- src/ClassifSae.Core/Results/SchemaMigrations.cs; see results-db/how-to-query.md.
--
-- Version history
--   1  runs, stages, metrics (without formula_version), schema_info; no views.
--   2  metrics.formula_version, so a change in how a metric is computed is never
--      averaged with values from the old formula; views latest_metrics and summary.
--
-- Conventions
--   * All timestamps are UTC, stored as TIMESTAMP (microsecond precision).
--   * run_id columns refer to runs.run_id. This is not declared as a foreign key
--     because DuckDB forbids upserting a referenced row; the C# store checks it.
--   * Metric names are snake_case (recovery_accuracy, avg_activation_rate, ...).
--   * New columns go at the end of a table so SELECT * stays stable across migrations.

-- One row per schema version applied to this file; the store's version is max(version).
CREATE TABLE schema_info (
    version     INTEGER   PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL,
    description TEXT      NOT NULL
);

-- One row per pipeline run (upserted: re-recording a run_id replaces its row).
CREATE TABLE runs (
    run_id        TEXT      PRIMARY KEY,
    profile       TEXT      NOT NULL,  -- named experiment profile, e.g. 'smoke', 'paper'
    model         TEXT      NOT NULL,
    dataset       TEXT      NOT NULL,
    method        TEXT,                -- concept method; NULL for classifier-only runs
    seed          INTEGER   NOT NULL,
    config_json   TEXT      NOT NULL,  -- the resolved configuration, verbatim
    config_hash   TEXT      NOT NULL,  -- hash of config_json, to group identical configurations
    git_commit    TEXT,                -- NULL when not built from a git checkout
    versions_json TEXT      NOT NULL,  -- {"classifsae": .., "dotnet": .., "torchsharp": .., "libtorch": ..}
    device        TEXT      NOT NULL,  -- 'cpu', 'cuda:0', ...
    dtype         TEXT      NOT NULL,  -- 'float32', 'bfloat16', ...
    threads       INTEGER   NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- One row per (run, stage); a stage is upserted when it starts and again when it ends.
CREATE TABLE stages (
    run_id        TEXT      NOT NULL,
    stage         TEXT      NOT NULL,
    status        TEXT      NOT NULL,  -- 'running', 'succeeded', 'failed', 'skipped'
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    seconds       DOUBLE,
    manifest_path TEXT,
    PRIMARY KEY (run_id, stage)
);

-- Long form, append only: one row per measured number. Several rows for the same
-- key are allowed (re-evaluations); the views pick the newest.
CREATE TABLE metrics (
    run_id          TEXT      NOT NULL,
    stage           TEXT      NOT NULL,
    model           TEXT      NOT NULL,
    dataset         TEXT      NOT NULL,
    method          TEXT,               -- NULL for metrics of the classifier itself
    seed            INTEGER   NOT NULL,
    split           TEXT      NOT NULL,  -- 'train', 'validation', 'test'
    metric          TEXT      NOT NULL,
    value           DOUBLE    NOT NULL,
    recorded_at     TIMESTAMP NOT NULL,
    formula_version INTEGER   NOT NULL DEFAULT 1  -- bumped when a metric's definition changes
);

-- @views
-- Views are derived data: on every migration they are dropped and recreated from
-- this section, so they always match the current tables.

-- The value from the newest run (then the newest recording) for each
-- (profile, model, dataset, method, seed, split, metric).
CREATE OR REPLACE VIEW latest_metrics AS
SELECT r.profile, m.model, m.dataset, m.method, m.seed, m.split, m.metric,
       m.value, m.formula_version, m.run_id, m.stage, m.recorded_at, r.created_at AS run_created_at
FROM metrics m
JOIN runs r USING (run_id)
QUALIFY row_number() OVER (
    PARTITION BY r.profile, m.model, m.dataset, m.method, m.seed, m.split, m.metric
    ORDER BY r.created_at DESC, m.recorded_at DESC, m.run_id DESC) = 1;

-- latest_metrics aggregated over seeds: one row per cell of a methods x metrics table.
-- std is the sample standard deviation (NULL for a single seed). Values computed with
-- different formula versions are kept apart.
CREATE OR REPLACE VIEW summary AS
SELECT profile, model, dataset, method, split, metric, formula_version,
       count(*)            AS n_seeds,
       avg(value)          AS mean,
       stddev_samp(value)  AS std,
       min(value)          AS min,
       max(value)          AS max,
       list(seed ORDER BY seed) AS seeds
FROM latest_metrics
GROUP BY profile, model, dataset, method, split, metric, formula_version;
