-- Cardinal DM server registry, schema version 3: Execs the device answered 202 (asynchronous Exec, OMA DM 1.2
-- Protocol 8.7), waiting for the Generic Alert 1226 that carries their correlator (AsyncExecSql).
-- One correlator per device (server-chosen ones are unique everywhere; an operator's is matched only among
-- that device's Execs). state: WAITING, SUCCEEDED, FAILED, TIMED_OUT. The result columns are NULL until the
-- device reports (received IS NULL); the first report is kept.
CREATE TABLE cdm_async_exec (
  device_id VARCHAR(512) NOT NULL REFERENCES cdm_device (device_id) ON DELETE CASCADE,
  correlator VARCHAR(256) NOT NULL,
  job_id BIGINT NOT NULL REFERENCES cdm_job (job_id) ON DELETE CASCADE,
  idx INT NOT NULL,
  target VARCHAR(4096) NOT NULL,
  sent BIGINT NOT NULL,
  deadline BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  result_code INT,
  result_meaning VARCHAR(512),
  result_success BOOLEAN,
  alert_type VARCHAR(512),
  alert_source VARCHAR(4096),
  alert_target VARCHAR(4096),
  alert_mark VARCHAR(32),
  received BIGINT,
  late BOOLEAN,
  CONSTRAINT cdm_async_exec_device_correlator UNIQUE (device_id, correlator)
);
CREATE INDEX cdm_async_exec_job ON cdm_async_exec (job_id, idx);
CREATE INDEX cdm_async_exec_overdue ON cdm_async_exec (state, deadline);
