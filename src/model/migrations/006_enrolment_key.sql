-- finsam schema, version 6: an enrolment's natural key (the person, the intervention, the start date) is
-- unique. Import already refuses a second one in its files; the index makes the database itself refuse it.
-- (A later migration that rebuilds the enrolment table drops this index first and creates it again.)
CREATE UNIQUE INDEX enrolment_natural_key ON enrolment (participant_key, intervention_id, start_date);
