-- Firmware campaigns (fumo-server's CampaignStore): the campaign with its spec and package, its devices, and
-- operator tags on registered devices. Campaign devices are not tied to cdm_device: a campaign keeps its counts
-- when a device is removed. Tags go with their device.
CREATE TABLE cdm_campaign (
  id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  package_file VARCHAR(255) NOT NULL,
  filter_man VARCHAR(256),
  filter_model VARCHAR(256),
  filter_fwv VARCHAR(256),
  filter_card SMALLINT,
  filter_tags VARCHAR(2200),
  filter_ids ${text},
  waves VARCHAR(1200),
  success_threshold INT NOT NULL,
  error_threshold INT NOT NULL,
  window_spec VARCHAR(256),
  fumo_instance VARCHAR(64) NOT NULL,
  consent BOOLEAN NOT NULL,
  consent_text VARCHAR(256),
  pkg_name VARCHAR(512) NOT NULL,
  pkg_version VARCHAR(512) NOT NULL,
  pkg_counter BIGINT,
  pkg_length BIGINT NOT NULL,
  pkg_sha256 VARCHAR(128) NOT NULL,
  pkg_url VARCHAR(4096) NOT NULL,
  state VARCHAR(16) NOT NULL,
  reason VARCHAR(1024),
  wave_sizes ${text} NOT NULL,
  current_wave INT NOT NULL,
  errors_accepted_wave INT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE TABLE cdm_campaign_device (
  campaign_id BIGINT NOT NULL REFERENCES cdm_campaign (id) ON DELETE CASCADE,
  device_id VARCHAR(512) NOT NULL,
  wave INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  job_id BIGINT,
  result_code INT,
  detail VARCHAR(512),
  claim_owner VARCHAR(256),
  updated BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, device_id)
);
CREATE INDEX cdm_campaign_device_state ON cdm_campaign_device (campaign_id, state, wave, device_id);
CREATE INDEX cdm_campaign_device_device ON cdm_campaign_device (device_id, state);
CREATE TABLE cdm_device_tag (
  device_id VARCHAR(512) NOT NULL REFERENCES cdm_device (device_id) ON DELETE CASCADE,
  tag VARCHAR(64) NOT NULL,
  PRIMARY KEY (device_id, tag)
);
CREATE INDEX cdm_device_tag_tag ON cdm_device_tag (tag);
