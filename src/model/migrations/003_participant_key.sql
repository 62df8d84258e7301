-- finsam schema, version 3: a participant gets an integer key, and an enrolment refers to the person by it.
--
-- Why: every cohort analysis joins enrolments to participants and counts distinct people. On text keys
-- (the pseudonym) that join and count were most of the report's time; on a dense integer key DuckDB joins
-- several times faster and counts people exactly with a bitmap (bitstring_agg). The pseudonym stays the
-- person's identity (unique, what imports, exports and `forget` speak); the key is internal and differs
-- between databases, so exports show the pseudonym instead.
--
-- DuckDB cannot change a primary key or add a foreign key to an existing table, so the three person-level
-- tables are rebuilt (observation refers to enrolment, enrolment to participant), inside the migration's
-- transaction: it lands whole or not at all. Keys follow the pseudonyms' order; enrolments keep their ids.

CREATE TEMP TABLE v2_participant AS SELECT * FROM participant;
CREATE TEMP TABLE v2_enrolment AS SELECT * FROM enrolment;
CREATE TEMP TABLE v2_observation AS SELECT * FROM observation;
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
    education       VARCHAR CHECK (education IN ('primary_incomplete', 'primary', 'upper_secondary', 'post_secondary'))
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
    SELECT row_number() OVER (ORDER BY participant_id), participant_id, federation_id, sex, birth_year, education
    FROM v2_participant;
INSERT INTO enrolment
    SELECT e.enrolment_id, p.participant_key, e.intervention_id, e.start_date, e.exit_date, e.support_before,
           e.occupation_before, e.extent_before_pct, e.support_after, e.occupation_after, e.extent_after_pct,
           e.subsidised_work_after, e.exit_reason, e.consent
    FROM v2_enrolment e JOIN participant p USING (participant_id)
    ORDER BY e.enrolment_id;
INSERT INTO observation SELECT * FROM v2_observation ORDER BY enrolment_id, observed_on;
DROP TABLE v2_observation;
DROP TABLE v2_enrolment;
DROP TABLE v2_participant;
