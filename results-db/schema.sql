-- schema-version: 9
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
--   3  concepts, top_sentences, artefacts, reference_results (the authors' published
--      numbers, loaded from results-db/reference/paper_results.csv when the table is
--      empty); views latest_runs, paper_metrics, paper_methods, reference_summary,
--      ours_summary, paper_table.
--   4  metrics.encoder: the sentence encoder behind an interpretability metric (NULL for the
--      others), e.g. 'builtin:tfidf-svd-128' or 'sentence-transformers/all-MiniLM-L6-v2';
--      latest_metrics shows it and keeps values from different encoders apart.
--   5  runs.cpu_model (the processor the numbers were computed on); artefacts.path and
--      stages.manifest_path are relative to the runs folder (e.g.
--      'smoke/tiny/planted/seed0/evaluate/manifest.json'), so a moved runs folder still
--      resolves; the migration rewrites absolute paths that contain the run's folder.
--   6  runs.method_version ('paper-2025' or 'upstream-2026', the profile's method_version; older
--      runs were all 'paper-2025'). The views keep the versions apart: their profile column is
--      the run's profile, suffixed with ' (upstream-2026)' for a non-paper version, and they add
--      method_version and run_profile (the plain profile) at the end.
--   7  metrics and reference_results get the columns class, ablation_pct and k instead of packing them into
--      the name: 'category2_label_flip_75pct' is metric 'category_label_flip' with class 2 and ablation_pct 75,
--      'global_tvd_50pct' is 'global_tvd' with ablation_pct 50, 'reconstruction_f1-score_3' is
--      'reconstruction_f1_score' with class 3, 'sentencesim_k2' is 'sentencesim' with k 2; the migration splits
--      existing rows. New tables concept_effects (each concept's conditional causal effect), training_curves
--      (every logged training step) and confusion (true x predicted counts of the classifier and of each
--      method's concept bottleneck); the classifier's per-class recall, precision and F1 are metrics with a class.
--   8  concept_histograms: each selected concept's activations over the test sentences in equal-width bins (what the
--      concept browser draws); older evaluations have none until they are recorded again.
--   9  runs.rope_scaling: the rotary scaling the run's model computes with, e.g. 'llama3 (transformers: ...)' for
--      Llama 3.1 (transformers' variant, not TransformerLens 2.9's n_ctx = 2048 one, spec 04 §3.7.2) or 'none';
--      NULL for runs stored before it was recorded or without a model folder.
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
    created_at    TIMESTAMP NOT NULL,
    cpu_model     TEXT,                -- e.g. 'AMD EPYC 7763 64-Core Processor'; NULL when unknown
    method_version TEXT     NOT NULL DEFAULT 'paper-2025', -- 'paper-2025' (d5286e9) or 'upstream-2026' (bc50f40)
    rope_scaling  TEXT                 -- 'llama3 (transformers: ...)', 'none'; NULL when not recorded
);

-- One row per (run, stage), written last in the stage's one ingest transaction: a stage row
-- means its metrics, artefacts and concepts are all stored.
CREATE TABLE stages (
    run_id        TEXT      NOT NULL,
    stage         TEXT      NOT NULL,
    status        TEXT      NOT NULL,  -- 'running', 'succeeded', 'failed', 'skipped'
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    seconds       DOUBLE,
    manifest_path TEXT,                -- relative to the runs folder
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
    formula_version INTEGER   NOT NULL DEFAULT 1, -- bumped when a metric's definition changes
    encoder         TEXT,               -- sentence encoder of an interpretability metric, else NULL
    class           INTEGER,            -- the class a per-class number is for (label index), else NULL
    ablation_pct    INTEGER,            -- share of a class segment ablated (25, 50, 75, 100), else NULL
    k               INTEGER             -- the k of SentenceSim(k), else NULL
);

-- Every file a stage wrote (from its manifest.json), with size and checksum.
-- Replaced as a whole for a (run, stage) when the stage is recorded again.
CREATE TABLE artefacts (
    run_id  TEXT   NOT NULL,
    stage   TEXT   NOT NULL,
    path    TEXT   NOT NULL,  -- relative to the runs folder, '/'-separated
    bytes   BIGINT NOT NULL,
    sha256  TEXT   NOT NULL,
    PRIMARY KEY (run_id, stage, path)
);

-- One row per candidate concept of a method's evaluation (the ClassifSAE head's
-- n_concepts features; the n components of a baseline). Replaced as a whole for a
-- (run, method) when the evaluation is recorded again.
CREATE TABLE concepts (
    run_id              TEXT    NOT NULL,
    method              TEXT    NOT NULL,  -- classifsae, sae, ica, conceptshap
    concept             INTEGER NOT NULL,  -- index in the method's concept space (SAE feature index)
    n_concepts          INTEGER NOT NULL,  -- size of the candidate set the concept was selected from
    selected            BOOLEAN NOT NULL,  -- kept by the dead-feature filter (z_class)
    segment_class       INTEGER,           -- class whose segment holds the concept; NULL when not selected
    segment_class_name  TEXT,
    segment_rank        INTEGER,           -- position inside its segment (0 = largest mean |activation|)
    activation_rate_pct DOUBLE,            -- firing frequency in percent (see activation_rate_source); NULL when unknown
    activation_rate_source TEXT,           -- e.g. 'train/classifsae/sparsity.safetensors'
    subtopic_purity     DOUBLE,            -- share of top sentences from the dominant planted sub-topic; NULL without sub-topics
    pca_x               DOUBLE,            -- decoder direction in the 2-D PCA of the test states (SAE methods); NULL otherwise
    pca_y               DOUBLE,
    PRIMARY KEY (run_id, method, concept)
);

-- The top activating test sentences of each selected concept, rank 1 first.
CREATE TABLE top_sentences (
    run_id         TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    concept        INTEGER NOT NULL,
    rank           INTEGER NOT NULL,  -- 1 = highest activation
    sentence_index INTEGER NOT NULL,  -- index in the data set's test split
    activation     DOUBLE  NOT NULL,
    text           TEXT    NOT NULL,
    label          INTEGER NOT NULL,  -- true label
    sub_topic      INTEGER,           -- planted sub-topic; NULL for real data sets
    PRIMARY KEY (run_id, method, concept, rank)
);

-- The original authors' published numbers (arXiv 2506.23951, repository orailix/ClassifSAE,
-- results_seed_42/ and results_seed_43/), shipped as results-db/reference/paper_results.csv.
-- method uses our keys (classifsae, sae, ica, conceptshap; NULL for the LLM classifier);
-- paper_method keeps the original name. value is NULL for non-numeric entries (value_text).
CREATE TABLE reference_results (
    seed         INTEGER NOT NULL,
    model        TEXT    NOT NULL,
    dataset      TEXT    NOT NULL,
    method       TEXT,
    paper_method TEXT    NOT NULL,
    metric       TEXT    NOT NULL,
    value        DOUBLE,
    value_text   TEXT    NOT NULL,
    class        INTEGER,           -- as in metrics
    ablation_pct INTEGER,
    k            INTEGER,
    paper_metric TEXT    NOT NULL,  -- the name as published (e.g. global_tvd_50pct); metric is its split form
    PRIMARY KEY (seed, model, dataset, paper_method, paper_metric)
);

-- Each selected concept's conditional causal effect (spec 02 §5.3): the concept alone is ablated on the test
-- sentences where it is active. Replaced as a whole for a (run, method) when the evaluation is recorded again.
CREATE TABLE concept_effects (
    run_id           TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    concept          INTEGER NOT NULL,
    active_sentences INTEGER NOT NULL,  -- test sentences on which the concept is active (the ablated rows)
    label_flip       DOUBLE  NOT NULL,  -- share of those sentences whose predicted label changes
    tvd              DOUBLE  NOT NULL,  -- mean total-variation distance of the label distributions
    acc_change       DOUBLE  NOT NULL,  -- absolute accuracy change on those sentences
    PRIMARY KEY (run_id, method, concept)
);

-- Every logged training step: FineTune's pretraining and fine-tuning loss (curve 'pretrain' / 'finetune', term
-- 'loss'), each concept method's loss terms (curve = method, term 'total', 'mse', 'classifier', ...). x is the
-- step (or the epoch, for ConceptSHAP: x_unit says which). Replaced as a whole for a (run, stage).
CREATE TABLE training_curves (
    run_id  TEXT    NOT NULL,
    stage   TEXT    NOT NULL,  -- 'finetune' or 'train'
    curve   TEXT    NOT NULL,
    term    TEXT    NOT NULL,
    x_unit  TEXT    NOT NULL,  -- 'step' or 'epoch'
    x       DOUBLE  NOT NULL,
    value   DOUBLE  NOT NULL,
    PRIMARY KEY (run_id, stage, curve, term, x)
);

-- Confusion matrices on a split: the fine-tuned classifier's (stage 'finetune', method NULL) and each method's
-- concept bottleneck's (stage 'evaluate'). Replaced as a whole for a (run, stage).
CREATE TABLE confusion (
    run_id          TEXT    NOT NULL,
    stage           TEXT    NOT NULL,
    method          TEXT,
    split           TEXT    NOT NULL,
    true_class      INTEGER NOT NULL,
    predicted_class INTEGER NOT NULL,
    count           INTEGER NOT NULL
);

-- Each selected concept's activation values over the test sentences, in equal-width bins from the smallest to the
-- largest value (bin i covers [lower, upper), the last bin includes its upper edge). Replaced as a whole for a
-- (run, method) when the evaluation is recorded again.
CREATE TABLE concept_histograms (
    run_id    TEXT    NOT NULL,
    method    TEXT    NOT NULL,
    concept   INTEGER NOT NULL,
    bin       INTEGER NOT NULL,  -- 0 = the lowest activations
    lower     DOUBLE  NOT NULL,
    upper     DOUBLE  NOT NULL,
    sentences INTEGER NOT NULL,  -- test sentences whose activation falls in the bin
    PRIMARY KEY (run_id, method, concept, bin)
);

-- @views
-- Views are derived data: on every migration they are dropped and recreated from
-- this section, so they always match the current tables.

-- The value from the newest run (then the newest recording) for each
-- (profile, model, dataset, method, seed, split, metric).
CREATE OR REPLACE VIEW latest_metrics AS
SELECT CASE WHEN r.method_version = 'paper-2025' THEN r.profile ELSE r.profile || ' (' || r.method_version || ')' END AS profile,
       m.model, m.dataset, m.method, m.seed, m.split, m.metric,
       m.value, m.formula_version, m.run_id, m.stage, m.recorded_at, r.created_at AS run_created_at, m.encoder,
       r.method_version, r.profile AS run_profile, m.class, m.ablation_pct, m.k
FROM metrics m
JOIN runs r USING (run_id)
QUALIFY row_number() OVER (
    PARTITION BY r.profile, r.method_version, m.model, m.dataset, m.method, m.seed, m.split, m.metric, m.encoder, m.class, m.ablation_pct, m.k
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
       list(seed ORDER BY seed) AS seeds,
       encoder,
       method_version,
       run_profile, class, ablation_pct, k
FROM latest_metrics
GROUP BY profile, model, dataset, method, split, metric, formula_version, encoder, method_version, run_profile, class, ablation_pct, k;

-- The newest run for each (profile, method version, model, dataset, seed): what the report shows.
CREATE OR REPLACE VIEW latest_runs AS
SELECT * REPLACE (CASE WHEN method_version = 'paper-2025' THEN runs.profile ELSE runs.profile || ' (' || method_version || ')' END AS profile),
       runs.profile AS run_profile
FROM runs
QUALIFY row_number() OVER (PARTITION BY runs.profile, method_version, model, dataset, seed ORDER BY created_at DESC, run_id DESC) = 1;

-- The metrics of the paper's comparison tables, in display order.
CREATE OR REPLACE VIEW paper_metrics AS
SELECT * FROM (VALUES
    ('recovery_accuracy',       'RAcc',                 1, 'higher', NULL::INTEGER),
    ('avg_activation_rate_pct', 'Avg. act. rate (%)',   2, 'lower',  NULL),
    ('cond_label_flip_rate',    'Δf_cond',              3, 'higher', NULL),
    ('cond_tvd',                'TVD_cond',             4, 'higher', NULL),
    ('conceptsim_weighted',     'ConceptSim',           5, 'higher', NULL),
    ('sentencesim',             'SentenceSim(1)',       6, 'higher', 1),
    ('sentencesim',             'SentenceSim(2)',       7, 'higher', 2),
    ('sentencesim',             'SentenceSim(3)',       8, 'higher', 3),
    ('sentencesim',             'SentenceSim(4)',       9, 'higher', 4)
) AS t(metric, label, position, better, k);

-- The concept methods, as the paper names them, in display order.
CREATE OR REPLACE VIEW paper_methods AS
SELECT * FROM (VALUES
    ('classifsae',  'ClassifSAE',  1, 'sae_truncation'),
    ('sae',         'SAE',         2, 'sae_logistic_regression'),
    ('ica',         'ICA',         3, 'ica'),
    ('conceptshap', 'ConceptSHAP', 4, 'concept_shap')
) AS t(method, label, position, paper_method);

-- The authors' numbers aggregated over their seeds (42 and 43).
CREATE OR REPLACE VIEW reference_summary AS
SELECT model, dataset, method, metric,
       count(*)           AS n_seeds,
       avg(value)         AS mean,
       stddev_samp(value) AS std,
       list(seed ORDER BY seed) AS seeds,
       class, ablation_pct, k
FROM reference_results
WHERE value IS NOT NULL AND method IS NOT NULL
GROUP BY model, dataset, method, metric, class, ablation_pct, k;

-- Our test-split numbers per cell, newest formula version only.
CREATE OR REPLACE VIEW ours_summary AS
SELECT profile, model, dataset, method, metric, formula_version, n_seeds, mean, std, seeds, encoder, class, ablation_pct, k
FROM summary
WHERE split = 'test' AND method IS NOT NULL
QUALIFY formula_version = max(formula_version) OVER (PARTITION BY profile, model, dataset, method, metric, class, ablation_pct, k);

-- The paper's comparison tables in long form: one row per (profile, dataset, model,
-- method, metric) that we measured or the authors published, with both numbers side
-- by side. ours_* are NULL where we have not run the cell, paper_* where the paper
-- has no number; profile is NULL for cells only the paper has.
CREATE OR REPLACE VIEW paper_table AS
SELECT o.profile,
       coalesce(o.dataset, r.dataset) AS dataset,
       coalesce(o.model, r.model)     AS model,
       coalesce(o.method, r.method)   AS method,
       coalesce(o.metric, r.metric)   AS metric,
       coalesce(o.k, r.k)             AS k,
       pm.label                       AS metric_label,
       pm.position                    AS metric_position,
       o.n_seeds AS ours_n, o.mean AS ours_mean, o.std AS ours_std, o.seeds AS ours_seeds,
       r.n_seeds AS paper_n, r.mean AS paper_mean, r.std AS paper_std, r.seeds AS paper_seeds,
       o.encoder AS ours_encoder  -- the published similarity scores used sentence-transformers/all-MiniLM-L6-v2
FROM (SELECT * FROM ours_summary WHERE class IS NULL AND ablation_pct IS NULL AND metric IN (SELECT metric FROM paper_metrics)) o
FULL OUTER JOIN (SELECT * FROM reference_summary WHERE class IS NULL AND ablation_pct IS NULL AND metric IN (SELECT metric FROM paper_metrics)) r
    ON o.model = r.model AND o.dataset = r.dataset AND o.method = r.method AND o.metric = r.metric AND o.k IS NOT DISTINCT FROM r.k
JOIN paper_metrics pm ON pm.metric = coalesce(o.metric, r.metric) AND pm.k IS NOT DISTINCT FROM coalesce(o.k, r.k);
