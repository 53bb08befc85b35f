import { defineAccount } from './account';
import { defineActivity } from './activity';
import { defineAgent } from './agent';
import { defineAiPersona } from './ai-persona';
import { defineAiServer } from './ai-server';
import { defineApplication } from './application';
import { defineAuthorizationPolicy } from './authorization-policy';
import { defineCalendar } from './calendar';
import { defineCalendarEvent } from './calendar-event';
import { defineCallout } from './callout';
import { defineCalloutContribution } from './callout-contribution';
import { defineCalloutContributionDefaults } from './callout-contribution-defaults';
import { defineCalloutFraming } from './callout-framing';
import { defineCalloutsSet } from './callouts-set';
import { defineClassification } from './classification';
import { defineCollaboration } from './collaboration';
import { defineCommunication } from './communication';
import { defineCommunity } from './community';
import { defineCommunityGuidelines } from './community-guidelines';
import { defineConversation } from './conversation';
import { defineConversationsSet } from './conversations-set';
import { defineCredential } from './credential';
import { defineDiscussion } from './discussion';
import { defineDocument } from './document';
import { defineForm } from './form';
import { defineForum } from './forum';
import { defineInAppNotification } from './in-app-notification';
import { defineInnovationFlow } from './innovation-flow';
import { defineInnovationFlowState } from './innovation-flow-state';
import { defineInnovationHub } from './innovation-hub';
import { defineInnovationPack } from './innovation-pack';
import { defineInvitation } from './invitation';
import { defineKnowledgeBase } from './knowledge-base';
import { defineLibrary } from './library';
import { defineLicense } from './license';
import { defineLicenseEntitlement } from './license-entitlement';
import { defineLicensePlan } from './license-plan';
import { defineLicensePolicy } from './license-policy';
import { defineLicensingFramework } from './licensing-framework';
import { defineLifecycle } from './lifecycle';
import { defineLink } from './link';
import { defineLocation } from './location';
import { defineMemo } from './memo';
import { defineNvp } from './nvp';
import { defineOrganization } from './organization';
import { defineOrganizationVerification } from './organization-verification';
import { definePlatform } from './platform';
import { definePlatformInvitation } from './platform-invitation';
import { definePost } from './post';
import { defineProfile } from './profile';
import { defineReference } from './reference';
import { defineRole } from './role';
import { defineRoleSet } from './role-set';
import { defineRoom } from './room';
import { defineSpace } from './space';
import { defineSpaceAbout } from './space-about';
import { defineStorageAggregator } from './storage-aggregator';
import { defineStorageBucket } from './storage-bucket';
import { defineTagset } from './tagset';
import { defineTagsetTemplate } from './tagset-template';
import { defineTagsetTemplateSet } from './tagset-template-set';
import { defineTemplate } from './template';
import { defineTemplateContentSpace } from './template-content-space';
import { defineTemplateDefault } from './template-default';
import { defineTemplatesManager } from './templates-manager';
import { defineTemplatesSet } from './templates-set';
import { defineTimeline } from './timeline';
import { defineUser } from './user';
import { defineUserGroup } from './user-group';
import { defineUserSettings } from './user-settings';
import { defineVcInteraction } from './vc-interaction';
import { defineVirtualContributor } from './virtual-contributor';
import { defineVisual } from './visual';
import { defineWhiteboard } from './whiteboard';
import { EntityKit } from '../entity-kit';

/** Every Alkemio entity, keyed by its table. application_questions is the join table of
 * application.questions, so it has no class of its own. */
export const ENTITY_DEFINERS = {
  account: defineAccount,
  activity: defineActivity,
  agent: defineAgent,
  ai_persona: defineAiPersona,
  ai_server: defineAiServer,
  application: defineApplication,
  authorization_policy: defineAuthorizationPolicy,
  calendar: defineCalendar,
  calendar_event: defineCalendarEvent,
  callout: defineCallout,
  callout_contribution: defineCalloutContribution,
  callout_contribution_defaults: defineCalloutContributionDefaults,
  callout_framing: defineCalloutFraming,
  callouts_set: defineCalloutsSet,
  classification: defineClassification,
  collaboration: defineCollaboration,
  communication: defineCommunication,
  community: defineCommunity,
  community_guidelines: defineCommunityGuidelines,
  conversation: defineConversation,
  conversations_set: defineConversationsSet,
  credential: defineCredential,
  discussion: defineDiscussion,
  document: defineDocument,
  form: defineForm,
  forum: defineForum,
  in_app_notification: defineInAppNotification,
  innovation_flow: defineInnovationFlow,
  innovation_flow_state: defineInnovationFlowState,
  innovation_hub: defineInnovationHub,
  innovation_pack: defineInnovationPack,
  invitation: defineInvitation,
  knowledge_base: defineKnowledgeBase,
  library: defineLibrary,
  license: defineLicense,
  license_entitlement: defineLicenseEntitlement,
  license_plan: defineLicensePlan,
  license_policy: defineLicensePolicy,
  licensing_framework: defineLicensingFramework,
  lifecycle: defineLifecycle,
  link: defineLink,
  location: defineLocation,
  memo: defineMemo,
  nvp: defineNvp,
  organization: defineOrganization,
  organization_verification: defineOrganizationVerification,
  platform: definePlatform,
  platform_invitation: definePlatformInvitation,
  post: definePost,
  profile: defineProfile,
  reference: defineReference,
  role: defineRole,
  role_set: defineRoleSet,
  room: defineRoom,
  space: defineSpace,
  space_about: defineSpaceAbout,
  storage_aggregator: defineStorageAggregator,
  storage_bucket: defineStorageBucket,
  tagset: defineTagset,
  tagset_template: defineTagsetTemplate,
  tagset_template_set: defineTagsetTemplateSet,
  template: defineTemplate,
  template_content_space: defineTemplateContentSpace,
  template_default: defineTemplateDefault,
  templates_manager: defineTemplatesManager,
  templates_set: defineTemplatesSet,
  timeline: defineTimeline,
  user: defineUser,
  user_group: defineUserGroup,
  user_settings: defineUserSettings,
  vc_interaction: defineVcInteraction,
  virtual_contributor: defineVirtualContributor,
  visual: defineVisual,
  whiteboard: defineWhiteboard,
} satisfies Record<string, (k: EntityKit) => Function>;

export type AlkemioEntityTable = keyof typeof ENTITY_DEFINERS;
