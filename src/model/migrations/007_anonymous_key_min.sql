-- finsam schema, version 7: the documented view of counts entered as aggregates gives, beside each row's key,
-- the smallest record key of the people it counts (`key_min`), so that a cell holding them decides a count of
-- 1–4 by its smallest key, as every other cell does (src/disclosure/record_key.rs says how it is derived).
CREATE OR REPLACE VIEW finsam_anonymous_count AS
    SELECT *, {anonymous_record_key} AS record_key, {anonymous_key_min} AS key_min FROM anonymous_count;
