-- The audit page's filters by user and by target (issue 16). Without these indexes a filter that matches few
-- entries reads the whole log (about 1 s at 1,000,000 entries on H2); with them it reads its own entries, newest
-- first: AuditSql orders a filtered page by (actor or target) DESC, audit_id DESC, which both databases answer
-- from these indexes, and keeps ORDER BY audit_id DESC while they are absent.
-- Version 7: it follows V006 (several server nodes); Migrations.SCRIPTS lists it after that one.
CREATE INDEX cdm_audit_actor ON cdm_audit (actor, audit_id);
CREATE INDEX cdm_audit_target ON cdm_audit (target, audit_id);
