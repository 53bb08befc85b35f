-- Rows the follow added to each target table since the load (negative: removed), written in the
-- same transaction as the changes: converge rollback compares a followed run's tables with what
-- its load and its follow left, so it removes the followed rows too and nothing written since.
ALTER TABLE converge.follow_state ADD COLUMN row_delta jsonb NOT NULL DEFAULT '{}'::jsonb;
