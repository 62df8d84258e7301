-- finsam schema, version 2: the inputs of the state's allocation model (in force since 2016, BRIEF.md).
-- support_measure is the federation's försörjningsmått (people on public support, from national
-- statistics); equity_sek its eget kapital at the start of the year (negative for a deficit).
CREATE TABLE allocation_input (
    federation_id    VARCHAR NOT NULL REFERENCES federation (federation_id),
    year             INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    support_measure  DOUBLE NOT NULL CHECK (support_measure >= 0),
    population_16_64 INTEGER NOT NULL CHECK (population_16_64 >= 0),
    equity_sek       DECIMAL(14, 2) NOT NULL,
    PRIMARY KEY (federation_id, year)
);
