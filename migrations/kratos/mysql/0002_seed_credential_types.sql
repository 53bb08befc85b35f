-- The credential types as an older Kratos install seeded them on MySQL. Four of the seven ids
-- differ from the Postgres side (one stored in upper case), as in long-lived sources: the
-- converter must map identity_credentials / identity_credential_identifiers type ids by name.
INSERT INTO identity_credential_types (id, name) VALUES
  ('78c1b41d-8341-4507-aa60-aff1d4369670', 'password'),
  ('1f3e5a7c-9b2d-4e6f-8a0c-3d5f7b9e1a24', 'oidc'),
  ('C4E6A8B0-2D4F-4A6C-9E8B-0F2D4B6A8C17', 'totp'),
  ('9d7b5f3e-1c8a-4b6d-a2e4-6f8c0a2e4b93', 'lookup_secret'),
  ('8f2a6d4c-1b3e-4f5a-9c7d-2e4b6a8c0d1f', 'webauthn'),
  ('e2c4a6b8-0d2f-4e6a-8b1c-5a7c9e1b3d68', 'code'),
  ('2a9c4e6f-8d1b-4c3a-b5e7-9f2d4a6c8e03', 'passkey');
