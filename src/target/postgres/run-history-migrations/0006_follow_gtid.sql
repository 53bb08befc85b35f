-- MariaDB's GTID position beside each binary log position the follow records (NULL: not known:
-- a MySQL source, or a follow recorded before this column). A file and offset name a place in
-- one server's log; the GTIDs travel with the transactions to its replicas, so they still say
-- what the target holds after the source fails over. Written in the same transaction as the
-- position next to it. Resuming stays by file and position (runbooks/cutover.md).
ALTER TABLE converge.follow_state ADD COLUMN start_gtid text;
ALTER TABLE converge.follow_state ADD COLUMN gtid text;
ALTER TABLE converge.follow_checkpoints ADD COLUMN gtid text;
