-- finsam schema, version 5: the documented views, the read surface that plugins, analysts and the core's own
-- cohort SQL share. They name what a reader may rely on; the tables under them may change between versions
-- (a later migration that rebuilds a table drops and recreates the views that read it).
-- Participants without their pseudonym: nobody reading these needs it, and it never leaves the database.

-- Every code with its Swedish and English label.
CREATE VIEW finsam_code_list AS
    SELECT list, code, label_sv, label_en FROM code_list;

CREATE VIEW finsam_federation AS
    SELECT federation_id, name, region, synthetic FROM federation;

CREATE VIEW finsam_member AS
    SELECT member_id, federation_id, party, name, population FROM member;

CREATE VIEW finsam_contribution AS
    SELECT member_id, year, amount_sek FROM contribution;

CREATE VIEW finsam_intervention AS
    SELECT * FROM intervention;

CREATE VIEW finsam_budget_line AS
    SELECT federation_id, intervention_id, year, financier, category, budget_sek, actual_sek FROM budget_line;

CREATE VIEW finsam_participant AS
    SELECT participant_key, federation_id, sex, birth_year, education, record_key FROM participant;

-- Every enrolment, with or without consent: person-level figures use only consenting ones (consent = true).
CREATE VIEW finsam_enrolment AS
    SELECT * FROM enrolment;

CREATE VIEW finsam_observation AS
    SELECT * FROM observation;

-- People counted as aggregates have no rows of their own: each row's record key comes from its identity
-- (src/model/record_key.rs), so every output that counts them publishes the same value.
CREATE VIEW finsam_anonymous_count AS
    SELECT *, {anonymous_record_key} AS record_key FROM anonymous_count;

CREATE VIEW finsam_allocation_input AS
    SELECT federation_id, year, support_measure, population_16_64, equity_sek FROM allocation_input;
