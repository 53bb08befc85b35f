-- Alkemio seed, as Alkemio's own seed migration does after its baseline: when "platform" is
-- empty, insert the platform singletons with fresh random ids (12 authorization policies,
-- platform, library, storage aggregator + bucket, licensing framework + policy + license,
-- templates manager + set + default, role set + roles, application form, AI server).
-- An import replaces these rows with the source's: they are never merged.
DO $$
DECLARE
  platform_id uuid := uuid_generate_v4();
  library_id uuid := uuid_generate_v4();
  aggregator_id uuid := uuid_generate_v4();
  bucket_id uuid := uuid_generate_v4();
  framework_id uuid := uuid_generate_v4();
  license_policy_id uuid := uuid_generate_v4();
  license_id uuid := uuid_generate_v4();
  templates_manager_id uuid := uuid_generate_v4();
  templates_set_id uuid := uuid_generate_v4();
  template_default_id uuid := uuid_generate_v4();
  role_set_id uuid := uuid_generate_v4();
  form_id uuid := uuid_generate_v4();
  ai_server_id uuid := uuid_generate_v4();
  auth_platform uuid := uuid_generate_v4();
  auth_library uuid := uuid_generate_v4();
  auth_aggregator uuid := uuid_generate_v4();
  auth_bucket uuid := uuid_generate_v4();
  auth_framework uuid := uuid_generate_v4();
  auth_license_policy uuid := uuid_generate_v4();
  auth_license uuid := uuid_generate_v4();
  auth_templates_manager uuid := uuid_generate_v4();
  auth_templates_set uuid := uuid_generate_v4();
  auth_template_default uuid := uuid_generate_v4();
  auth_role_set uuid := uuid_generate_v4();
  auth_ai_server uuid := uuid_generate_v4();
BEGIN
  IF EXISTS (SELECT 1 FROM "platform") THEN
    RETURN;
  END IF;

  INSERT INTO "authorization_policy" ("id", "version", "credentialRules", "privilegeRules", "type", "parentAuthorizationPolicyId") VALUES
    (auth_platform, 1, '[]', '[]', 'platform', NULL),
    (auth_library, 1, '[]', '[]', 'library', auth_platform),
    (auth_aggregator, 1, '[]', '[]', 'storage-aggregator', auth_platform),
    (auth_bucket, 1, '[]', '[]', 'storage-bucket', auth_aggregator),
    (auth_framework, 1, '[]', '[]', 'licensing-framework', auth_platform),
    (auth_license_policy, 1, '[]', '[]', 'license-policy', auth_framework),
    (auth_license, 1, '[]', '[]', 'license', auth_platform),
    (auth_templates_manager, 1, '[]', '[]', 'templates-manager', auth_platform),
    (auth_templates_set, 1, '[]', '[]', 'templates-set', auth_templates_manager),
    (auth_template_default, 1, '[]', '[]', 'template-default', auth_templates_manager),
    (auth_role_set, 1, '[]', '[]', 'role-set', auth_platform),
    (auth_ai_server, 1, '[]', '[]', 'ai-server', NULL);

  -- The aggregator and its direct bucket point at each other: insert, then close the cycle.
  INSERT INTO "storage_aggregator" ("id", "version", "type", "authorizationId") VALUES
    (aggregator_id, 1, 'platform', auth_aggregator);
  INSERT INTO "storage_bucket" ("id", "version", "allowedMimeTypes", "maxFileSize", "authorizationId", "storageAggregatorId") VALUES
    (bucket_id, 1, 'image/png,image/jpeg,image/gif,image/svg+xml,image/webp,application/pdf', 15728640, auth_bucket, aggregator_id);
  UPDATE "storage_aggregator" SET "directStorageId" = bucket_id WHERE "id" = aggregator_id;

  INSERT INTO "license" ("id", "version", "type", "authorizationId") VALUES
    (license_id, 1, 'platform', auth_license);
  INSERT INTO "license_policy" ("id", "version", "credentialRules", "authorizationId") VALUES
    (license_policy_id, 1, '[]', auth_license_policy);
  INSERT INTO "licensing_framework" ("id", "version", "authorizationId", "licensePolicyId") VALUES
    (framework_id, 1, auth_framework, license_policy_id);

  INSERT INTO "library" ("id", "version", "authorizationId") VALUES
    (library_id, 1, auth_library);

  INSERT INTO "templates_set" ("id", "version", "authorizationId") VALUES
    (templates_set_id, 1, auth_templates_set);
  INSERT INTO "templates_manager" ("id", "version", "authorizationId", "templatesSetId") VALUES
    (templates_manager_id, 1, auth_templates_manager, templates_set_id);
  INSERT INTO "template_default" ("id", "version", "type", "allowedTemplateType", "authorizationId", "templatesManagerId", "templateId") VALUES
    (template_default_id, 1, 'platform-space', 'space', auth_template_default, templates_manager_id, NULL);

  INSERT INTO "form" ("id", "version", "questions", "description") VALUES
    (form_id, 1, '[]', '');
  INSERT INTO "role_set" ("id", "version", "entryRoleName", "type", "authorizationId", "licenseId", "applicationFormId", "parentRoleSetId") VALUES
    (role_set_id, 1, 'platform-beta-tester', 'platform', auth_role_set, NULL, form_id, NULL);
  INSERT INTO "role" ("id", "version", "name", "credential", "parentCredentials", "requiresEntryRole", "requiresSameRoleInParentRoleSet", "userPolicy", "organizationPolicy", "virtualContributorPolicy", "roleSetId") VALUES
    (uuid_generate_v4(), 1, 'global-admin', '{"type":"global-admin","resourceID":""}', '[]', false, false, '{"minimum":0,"maximum":-1}', '{"minimum":0,"maximum":0}', '{"minimum":0,"maximum":0}', role_set_id),
    (uuid_generate_v4(), 1, 'global-support', '{"type":"global-support","resourceID":""}', '[]', false, false, '{"minimum":0,"maximum":-1}', '{"minimum":0,"maximum":0}', '{"minimum":0,"maximum":0}', role_set_id),
    (uuid_generate_v4(), 1, 'global-license-manager', '{"type":"global-license-manager","resourceID":""}', '[]', false, false, '{"minimum":0,"maximum":-1}', '{"minimum":0,"maximum":0}', '{"minimum":0,"maximum":0}', role_set_id),
    (uuid_generate_v4(), 1, 'platform-beta-tester', '{"type":"beta-tester","resourceID":""}', '[]', false, false, '{"minimum":0,"maximum":-1}', '{"minimum":0,"maximum":0}', '{"minimum":0,"maximum":0}', role_set_id),
    (uuid_generate_v4(), 1, 'platform-vc-campaign', '{"type":"vc-campaign","resourceID":""}', '[]', false, false, '{"minimum":0,"maximum":-1}', '{"minimum":0,"maximum":0}', '{"minimum":0,"maximum":0}', role_set_id);

  INSERT INTO "ai_server" ("id", "version", "authorizationId") VALUES
    (ai_server_id, 1, auth_ai_server);

  INSERT INTO "platform" ("id", "version", "settings", "wellKnownVirtualContributors", "authorizationId", "forumId", "libraryId", "templatesManagerId", "storageAggregatorId", "licensingFrameworkId", "roleSetId") VALUES
    (platform_id, 1, '{"integration":{"iframeAllowedUrls":[],"notificationEmailBlacklist":[]}}', '{}', auth_platform, NULL, library_id, templates_manager_id, aggregator_id, framework_id, role_set_id);
END
$$;
