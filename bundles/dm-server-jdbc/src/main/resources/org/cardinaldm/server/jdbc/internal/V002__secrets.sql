-- Cardinal DM server registry, schema version 2: the secrets of a device are encrypted (AES-256-GCM,
-- SecretColumns). secrets_key names the key that encrypted a row's client_digest, server_digest and
-- server_password; NULL marks a row written before this version, encrypted when the store opens.
ALTER TABLE cdm_device ADD COLUMN secrets_key VARCHAR(64);
ALTER TABLE cdm_device ALTER COLUMN client_digest SET DATA TYPE VARCHAR(256);
ALTER TABLE cdm_device ALTER COLUMN server_digest SET DATA TYPE VARCHAR(256);
ALTER TABLE cdm_device ALTER COLUMN server_password SET DATA TYPE VARCHAR(4096);
