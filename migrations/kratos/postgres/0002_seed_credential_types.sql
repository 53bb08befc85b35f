-- The credential types Kratos seeds on Postgres. These ids are the target's: rows copied from a
-- source that holds other ids for the same names must be remapped by name, not inserted.
INSERT INTO identity_credential_types (id, name) VALUES
  ('78c1b41d-8341-4507-aa60-aff1d4369670', 'password'),
  ('6fa681da-a4a4-4b3b-8b2e-5cd7c8a0b3f1', 'oidc'),
  ('0b3c2d3e-7f5a-4c1d-9e2b-1a8f6c4d2e90', 'totp'),
  ('3c7e9b1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d', 'lookup_secret'),
  ('8f2a6d4c-1b3e-4f5a-9c7d-2e4b6a8c0d1f', 'webauthn'),
  ('5d1e7c3a-9b2f-4e8d-a6c4-7f0b3d5e9a21', 'code'),
  ('2a9c4e6f-8d1b-4c3a-b5e7-9f2d4a6c8e03', 'passkey');
