-- finsam schema, version 7: the keys of counts entered as aggregates. Version 5 derived a row's key from its
-- identity alone, which anyone who knows an intervention's id can compute; now it is derived with the
-- database's secret (dataset_info.aggregate_key_secret, written by the migration before this SQL runs). The
-- view also gives the smallest record key of the people a row counts (`key_min`), so that a cell holding them
-- decides a count of 1–4 by its smallest key, as every other cell does (src/model/record_key.rs).
CREATE OR REPLACE VIEW finsam_anonymous_count AS
    SELECT *, {anonymous_record_key} AS record_key, {anonymous_key_min} AS key_min FROM anonymous_count;
