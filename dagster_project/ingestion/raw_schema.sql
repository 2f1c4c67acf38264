-- The raw schema: validated rows of the current (newest) file of each extract,
-- plus the per-file audit and the quarantine. Written only by the ingestion
-- assets; dbt reads it as the source "raw" (dbt_models/staging/_raw__sources.yml).
create schema if not exists raw;

create table if not exists raw.wop (
    wop_id varchar not null,
    insz_pseudonym varchar not null,
    maatregel varchar not null,
    kbo_werkgever varchar not null,
    startdatum date not null,
    einddatum date,
    _source_file varchar not null,
    _line_number bigint not null
);

create table if not exists raw.tewerkstelling (
    insz_pseudonym varchar not null,
    kbo_werkgever varchar not null,
    nace varchar,
    startdatum date not null,
    einddatum date,
    _source_file varchar not null,
    _line_number bigint not null
);

create table if not exists raw.verblijfplaats (
    insz_pseudonym varchar not null,
    land varchar not null,
    postcode varchar,
    geldig_van date not null,
    geldig_tot date,
    _source_file varchar not null,
    _line_number bigint not null
);

create table if not exists raw.evaluatie (
    evaluatie_id varchar not null,
    insz_pseudonym varchar not null,
    wop_id varchar,
    datum date not null,
    aanleiding varchar not null,
    pop_datum date,
    uitkomst varchar not null,
    _source_file varchar not null,
    _line_number bigint not null
);

create table if not exists raw.loads (
    extract varchar not null,
    file_name varchar not null,
    extraction_date date not null,
    checksum_sha256 varchar not null,
    file_bytes bigint not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    exact_duplicates bigint not null,
    extra_columns varchar,
    blank_lines bigint not null,
    key_fingerprint varchar not null,
    loaded_at timestamp not null,
    is_current boolean not null
);

create table if not exists raw.quarantine (
    extract varchar not null,
    file_name varchar not null,
    line_number bigint not null,
    column_name varchar not null,
    rule varchar not null,
    violations varchar not null,
    row_masked varchar not null
);

-- Every entry of the landing folder at the last acceptance: current (loaded),
-- superseded, ignored or refused, with the reason (dagster_project/ingestion/landing.py).
create table if not exists raw.landing_files (
    file_name varchar not null,
    status varchar not null,
    reason varchar not null,
    extract varchar,
    extraction_date date,
    surveyed_at timestamp not null
);

-- The files the last publication was made from: the baseline of the comparative
-- checks (volume in the GX suite raw_loads; dates in the acceptance).
create table if not exists raw.published_files (
    extract varchar not null,
    file_name varchar not null,
    extraction_date date not null,
    rows_loaded bigint not null
);
