-- finsam schema, version 4: every participant and enrolment carries a record key for the cell-key method of
-- disclosure control (src/disclosure). The keys are derived from the pseudonym (and, for an enrolment, the
-- intervention and start date), so rows already in the database get the same keys a fresh import would give.
--
-- DuckDB cannot add a NOT NULL column inside a transaction that also fills it, and a missing key would let
-- two outputs differing by that person be subtracted exactly; so the three person-level tables are rebuilt,
-- as in version 3, inside the migration's transaction. {participant_record_key} and {enrolment_record_key}
-- are filled in by src/model/migrate.rs with the expressions of src/model/record_key.rs.

CREATE TEMP TABLE v3_participant AS SELECT * FROM participant;
CREATE TEMP TABLE v3_enrolment AS SELECT * FROM enrolment;
CREATE TEMP TABLE v3_observation AS SELECT * FROM observation;
DROP TABLE observation;
DROP TABLE enrolment;
DROP TABLE participant;

-- A person, under a keyed pseudonym. The personnummer is never stored.
CREATE TABLE participant (
    participant_key INTEGER PRIMARY KEY CHECK (participant_key > 0),
    participant_id  VARCHAR NOT NULL UNIQUE,
    federation_id   VARCHAR NOT NULL REFERENCES federation (federation_id),
    sex             VARCHAR NOT NULL CHECK (sex IN ('female', 'male')),
    birth_year      INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    education       VARCHAR CHECK (education IN ('primary_incomplete', 'primary', 'upper_secondary', 'post_secondary')),
    -- The cell-key method's record key (see src/model/record_key.rs); never printed.
    record_key      UINTEGER NOT NULL
);

-- One person's time in one intervention. The *_after columns and exit_reason are set at exit.
-- extent_*_pct: share of full time (100 % = 40 hours a week) in work or studies.
CREATE TABLE enrolment (
    enrolment_id          BIGINT PRIMARY KEY,
    participant_key       INTEGER NOT NULL REFERENCES participant (participant_key),
    intervention_id       VARCHAR NOT NULL REFERENCES intervention (intervention_id),
    start_date            DATE NOT NULL,
    exit_date             DATE,
    support_before        VARCHAR NOT NULL CHECK (support_before IN (
                              'wage', 'unemployment_insurance', 'activity_support', 'sickness_benefit',
                              'activity_compensation', 'sickness_compensation', 'social_assistance',
                              'study_allowance', 'no_public_support')),
    occupation_before     VARCHAR NOT NULL CHECK (occupation_before IN ('work', 'studies', 'job_seeking', 'other')),
    extent_before_pct     SMALLINT CHECK (extent_before_pct BETWEEN 0 AND 100),
    support_after         VARCHAR CHECK (support_after IN (
                              'wage', 'unemployment_insurance', 'activity_support', 'sickness_benefit',
                              'activity_compensation', 'sickness_compensation', 'social_assistance',
                              'study_allowance', 'no_public_support')),
    occupation_after      VARCHAR CHECK (occupation_after IN ('work', 'studies', 'job_seeking', 'other')),
    extent_after_pct      SMALLINT CHECK (extent_after_pct BETWEEN 0 AND 100),
    subsidised_work_after BOOLEAN,
    exit_reason           VARCHAR CHECK (exit_reason IN (
                              'completed', 'work', 'studies', 'other_intervention', 'illness', 'moved',
                              'dropped_out', 'other')),
    consent               BOOLEAN NOT NULL DEFAULT true,
    record_key            UINTEGER NOT NULL,
    CHECK (exit_date IS NULL OR exit_date >= start_date),
    CHECK (exit_date IS NOT NULL OR (support_after IS NULL AND occupation_after IS NULL AND exit_reason IS NULL)),
    CHECK (subsidised_work_after IS NULL OR occupation_after = 'work')
);

-- Status observed after exit (follow-up calls, register data), for time to self-support.
CREATE TABLE observation (
    enrolment_id BIGINT NOT NULL REFERENCES enrolment (enrolment_id),
    observed_on  DATE NOT NULL,
    support      VARCHAR NOT NULL CHECK (support IN (
                     'wage', 'unemployment_insurance', 'activity_support', 'sickness_benefit',
                     'activity_compensation', 'sickness_compensation', 'social_assistance',
                     'study_allowance', 'no_public_support')),
    occupation   VARCHAR NOT NULL CHECK (occupation IN ('work', 'studies', 'job_seeking', 'other')),
    extent_pct   SMALLINT CHECK (extent_pct BETWEEN 0 AND 100),
    source       VARCHAR,
    PRIMARY KEY (enrolment_id, observed_on)
);

INSERT INTO participant
    SELECT participant_key, participant_id, federation_id, sex, birth_year, education, {participant_record_key}
    FROM v3_participant ORDER BY participant_key;
INSERT INTO enrolment
    SELECT e.*, {enrolment_record_key}
    FROM v3_enrolment e JOIN v3_participant p USING (participant_key)
    ORDER BY e.enrolment_id;
INSERT INTO observation SELECT * FROM v3_observation ORDER BY enrolment_id, observed_on;
DROP TABLE v3_observation;
DROP TABLE v3_enrolment;
DROP TABLE v3_participant;
