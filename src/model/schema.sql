-- finsam schema, version 1.
--
-- Plain DuckDB SQL, so DuckDB's own CLI and Python package can open and query the same file.
-- The code lists here (CHECK ... IN (...)) are the Rust enums of src/codes.rs; a test keeps them in step,
-- and the table code_list (filled by the migration) carries their Swedish and English labels.
-- Money is in SEK, DECIMAL(14,2). Shares of a population are percentages, DECIMAL(5,2).

CREATE TABLE dataset_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE code_list (
    list     VARCHAR NOT NULL,
    code     VARCHAR NOT NULL,
    label_sv VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    PRIMARY KEY (list, code)
);

-- A samordningsförbund.
CREATE TABLE federation (
    federation_id VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    region        VARCHAR,
    synthetic     BOOLEAN NOT NULL DEFAULT false
);

-- FK, AF, the region and the municipalities. FK pays the state's half, AF's part included.
CREATE TABLE member (
    member_id     VARCHAR PRIMARY KEY,
    federation_id VARCHAR NOT NULL REFERENCES federation (federation_id),
    party         VARCHAR NOT NULL CHECK (party IN ('fk', 'af', 'region', 'municipality')),
    name          VARCHAR NOT NULL,
    population    INTEGER CHECK (population >= 0)
);

-- What each member paid into the federation in a year.
CREATE TABLE contribution (
    member_id  VARCHAR NOT NULL REFERENCES member (member_id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    amount_sek DECIMAL(14, 2) NOT NULL CHECK (amount_sek >= 0),
    PRIMARY KEY (member_id, year)
);

-- An insats: a project or activity the federation funds.
CREATE TABLE intervention (
    intervention_id      VARCHAR PRIMARY KEY,
    federation_id        VARCHAR NOT NULL REFERENCES federation (federation_id),
    name                 VARCHAR NOT NULL,
    kind                 VARCHAR NOT NULL CHECK (kind IN ('individual', 'structural')),
    orientation          VARCHAR,
    target_group         VARCHAR NOT NULL CHECK (target_group IN (
                             'young', 'newly_arrived', 'social_assistance', 'long_term_sick',
                             'young_disability', 'activity_compensation', 'long_term_unemployed',
                             'mental_ill_health', 'justice_involved', 'multiple_needs', 'staff')),
    municipality         VARCHAR,
    age_min              INTEGER CHECK (age_min BETWEEN 15 AND 70),
    age_max              INTEGER CHECK (age_max BETWEEN 15 AND 70),
    start_date           DATE NOT NULL,
    end_date             DATE,
    planned_participants INTEGER CHECK (planned_participants >= 0),
    description          VARCHAR,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (age_min IS NULL OR age_max IS NULL OR age_max >= age_min)
);

-- The parties working in an intervention, with the unit where that matters (AIK, psychiatry...).
CREATE TABLE intervention_party (
    intervention_id VARCHAR NOT NULL REFERENCES intervention (intervention_id),
    party           VARCHAR NOT NULL CHECK (party IN ('fk', 'af', 'region', 'municipality', 'federation', 'other')),
    unit            VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (intervention_id, party, unit)
);

-- Budget and actual per year and financier, for an intervention or (intervention_id NULL) the federation's
-- own office.
CREATE TABLE budget_line (
    budget_line_id  INTEGER PRIMARY KEY,
    federation_id   VARCHAR NOT NULL REFERENCES federation (federation_id),
    intervention_id VARCHAR REFERENCES intervention (intervention_id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    financier       VARCHAR NOT NULL CHECK (financier IN (
                        'federation', 'state', 'region', 'municipality', 'esf', 'in_kind', 'other')),
    category        VARCHAR NOT NULL CHECK (category IN ('individual', 'structural', 'administration')),
    budget_sek      DECIMAL(14, 2) NOT NULL CHECK (budget_sek >= 0),
    actual_sek      DECIMAL(14, 2) CHECK (actual_sek >= 0),
    UNIQUE (federation_id, intervention_id, year, financier, category)
);

-- A person, under a keyed pseudonym. The personnummer is never stored.
-- Version 3 (migrations/003_participant_key.sql) rebuilds participant, enrolment and observation: people get
-- an integer participant_key, and enrolments refer to it.
CREATE TABLE participant (
    participant_id VARCHAR PRIMARY KEY,
    federation_id  VARCHAR NOT NULL REFERENCES federation (federation_id),
    sex            VARCHAR NOT NULL CHECK (sex IN ('female', 'male')),
    birth_year     INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    education      VARCHAR CHECK (education IN ('primary_incomplete', 'primary', 'upper_secondary', 'post_secondary'))
);

-- One person's time in one intervention. The *_after columns and exit_reason are set at exit.
-- extent_*_pct: share of full time (100 % = 40 hours a week) in work or studies.
CREATE TABLE enrolment (
    enrolment_id          BIGINT PRIMARY KEY,
    participant_id        VARCHAR NOT NULL REFERENCES participant (participant_id),
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

-- People counted by sex but not registered: no consent, or reached by structural work.
CREATE TABLE anonymous_count (
    intervention_id VARCHAR NOT NULL REFERENCES intervention (intervention_id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    sex             VARCHAR NOT NULL CHECK (sex IN ('female', 'male')),
    reason          VARCHAR NOT NULL CHECK (reason IN ('no_consent', 'structural')),
    count           INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (intervention_id, year, sex, reason)
);

-- Context of a municipality (or city district): population and three shares, in per cent.
CREATE TABLE municipality_context (
    municipality                     VARCHAR NOT NULL,
    year                             INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    population                       INTEGER NOT NULL CHECK (population >= 0),
    social_assistance_pct            DECIMAL(5, 2) CHECK (social_assistance_pct BETWEEN 0 AND 100),
    young_adult_social_assistance_pct DECIMAL(5, 2) CHECK (young_adult_social_assistance_pct BETWEEN 0 AND 100),
    unemployment_pct                 DECIMAL(5, 2) CHECK (unemployment_pct BETWEEN 0 AND 100),
    source                           VARCHAR,
    PRIMARY KEY (municipality, year)
);

-- Named spans of time that boards compare, e.g. 2020-2021 against 2022-2023.
CREATE TABLE period (
    name       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,
    CHECK (end_date >= start_date)
);
