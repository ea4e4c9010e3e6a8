-- growthdb store, schema version 2: the store's fiscal calendar.
--
-- One row, shared by everyone who uses the store. A fiscal year starts on
-- the first day of month `fiscal_year_start` (1 = January) and is labelled
-- by the calendar year in which it ends ('end') or starts ('start'). A store
-- upgraded from version 1 gets the default: January, 'end', which makes
-- fiscal periods the calendar ones.

CREATE TABLE calendar (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    fiscal_year_start INTEGER NOT NULL CHECK (fiscal_year_start BETWEEN 1 AND 12),
    fiscal_year_label TEXT NOT NULL CHECK (fiscal_year_label IN ('end', 'start'))
);
INSERT INTO calendar (id, fiscal_year_start, fiscal_year_label) VALUES (1, 1, 'end');
