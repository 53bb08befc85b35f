import { ALKEMIO_HARD_VALUES as HARD } from './alkemio-hard-values';
import { AlkemioPrng } from './alkemio-prng';
import { BatchLoader, SeedRow } from './alkemio-batch-loader';
import { encodeWhiteboardContent } from './alkemio-whiteboard';

type Id = string;
type ProfileKind =
  | 'space-about'
  | 'innovation-flow'
  | 'callout-framing'
  | 'knowledge-base'
  | 'post'
  | 'contribution-link'
  | 'whiteboard'
  | 'memo'
  | 'discussion'
  | 'organization'
  | 'user-group'
  | 'user'
  | 'innovation-hub'
  | 'calendar-event'
  | 'innovation-pack'
  | 'template'
  | 'community-guidelines'
  | 'virtual-contributor'
  | 'virtual-persona';

interface Owner {
  auth: Id;
  aggregator: Id;
}

interface SpaceRef extends Owner {
  id: Id;
  level: number;
  levelZero: Id;
  roleSet: Id;
  collaboration: Id;
  callouts: Id[];
}

/**
 * Builds the Alkemio object graph row by row into a BatchLoader, in the shapes Alkemio's entities
 * write them. Long because it covers 75 tables; every method is one small aggregate. Rows are
 * loaded with foreign-key checks off, so order inside an aggregate does not matter, but every id
 * written into an FK column is one this class created.
 */
export class AlkemioGraph {
  private clock = Date.UTC(2021, 0, 4, 8, 0, 0);
  private readonly rowIds = new Map<string, number>();
  private readonly names = new Map<string, number>();
  private whiteboards = 0;
  /** How many whiteboards may carry a megabyte-sized payload; the first always does. */
  bigWhiteboards = 1;
  readonly accounts: Array<{ id: Id; owner: Owner }> = [];
  /** Credentials tie a user's agent to spaces and organizations. */
  private readonly userAgents = new Map<Id, Id>();
  readonly users: Id[] = [];
  readonly organizations: Id[] = [];
  readonly virtualContributors: Id[] = [];
  readonly spaces: SpaceRef[] = [];
  private platformAuth: Id = '';
  private platformRoleSet: Id = '';
  private aiServer: Id = '';

  constructor(
    private readonly rng: AlkemioPrng,
    private readonly out: BatchLoader,
  ) {}

  // ---------------------------------------------------------------- primitives

  private add(table: string, row: SeedRow): void {
    this.out.add(table, row);
  }

  /** datetime(6) text with microseconds that must survive the move. */
  private stamp(): { createdDate: string; updatedDate: string } {
    this.clock += this.rng.between(1, 90_000) * 1000 + this.rng.int(1000);
    const created = this.clock;
    const updated = created + (this.rng.chance(0.5) ? 0 : this.rng.int(86_400_000));
    return { createdDate: micro(created, this.rng.int(1000)), updatedDate: micro(updated, this.rng.int(1000)) };
  }

  private base(): { id: Id; createdDate: string; updatedDate: string; version: number } {
    return { id: this.rng.uuid(), ...this.stamp(), version: this.rng.between(1, 9) };
  }

  /** A plain datetime without fractions (callout.publishedDate, credential.expires…). */
  private dateTime(): string {
    return micro(this.clock - this.rng.int(86_400_000), 0).slice(0, 19);
  }

  /** Gapped auto-increment values: sequences on the target must be set past the maximum. */
  private rowId(table: string): number {
    const next = (this.rowIds.get(table) ?? 0) + (this.rng.chance(0.1) ? this.rng.between(2, 5) : 1);
    this.rowIds.set(table, next);
    return next;
  }

  private nameId(prefix: string): string {
    const n = (this.names.get(prefix) ?? 0) + 1;
    this.names.set(prefix, n);
    return `${prefix}-${n}`.slice(0, 36);
  }

  /** A user id for createdBy-like columns: sometimes upper case, as old clients wrote them. */
  private creator(every: number): string {
    const id = this.users.length ? this.rng.pick(this.users) : this.rng.uuid();
    return this.rng.int(every) === 0 ? id.toUpperCase() : id;
  }

  private auth(type: string, parent: Id | null): Id {
    const b = this.base();
    this.add('authorization_policy', {
      ...b,
      credentialRules: credentialRules(this.rng, type),
      privilegeRules: privilegeRules(this.rng),
      type,
      parentAuthorizationPolicyId: parent,
    });
    return b.id;
  }

  // ---------------------------------------------------------------- shared aggregates

  /** storage_aggregator and its direct bucket point at each other: the one multi-table cycle. */
  private aggregator(type: string, parent: Id | null, parentAuth: Id | null): Owner {
    const a = this.base();
    const bucket = this.rng.uuid();
    const auth = this.auth('storage-aggregator', parentAuth);
    this.add('storage_aggregator', {
      ...a,
      type,
      authorizationId: auth,
      parentStorageAggregatorId: parent,
      directStorageId: bucket,
    });
    this.bucket(a.id, auth, bucket);
    return { auth, aggregator: a.id };
  }

  private bucket(aggregator: Id, parentAuth: Id, id: Id = this.rng.uuid()): Id {
    const b = this.base();
    this.add('storage_bucket', {
      ...b,
      id,
      allowedMimeTypes: 'image/png,image/jpeg,image/svg+xml,application/pdf',
      maxFileSize: 15728640,
      authorizationId: this.auth('storage-bucket', parentAuth),
      storageAggregatorId: aggregator,
    });
    return id;
  }

  private tagset(opts: { profile?: Id; classification?: Id; template?: Id; parentAuth: Id; name?: string }): Id {
    const b = this.base();
    this.add('tagset', {
      ...b,
      name: opts.name ?? 'default',
      type: opts.template ? 'select-one' : 'freeform',
      tags: this.rng.pick(HARD.tags),
      authorizationId: this.auth('tagset', opts.parentAuth),
      profileId: opts.profile ?? null,
      classificationId: opts.classification ?? null,
      tagsetTemplateId: opts.template ?? null,
    });
    return b.id;
  }

  private profile(type: ProfileKind, owner: Owner, displayName?: string): Id {
    const b = this.base();
    const auth = this.auth('profile', owner.auth);
    const location = this.base();
    this.add('location', {
      ...location,
      city: this.rng.pick(['Den Haag', 'Zürich', 'São Paulo', null]),
      country: this.rng.pick(['NL', 'CH', 'BR', null]),
      addressLine1: this.rng.chance(0.3) ? 'Korte Vijverberg 1, "achter"' : '',
      addressLine2: null,
      stateOrProvince: null,
      postalCode: this.rng.chance(0.5) ? '2513 AB' : '',
      geoLocation: this.rng.chance(0.3) ? `{"latitude":52.08,"longitude":4.31,"isValid":true}` : `{"isValid":false}`,
    });
    const bucket = this.bucket(owner.aggregator, auth);
    const n = this.out.counts['profile'] ?? 0;
    this.add('profile', {
      ...b,
      displayName: displayName ?? (n % 5 === 0 ? HARD.displayNames[n % HARD.displayNames.length] : `${type} ${n}`),
      tagline: n % 3 === 0 ? HARD.taglines[(n / 3) % HARD.taglines.length] : `Tagline ${n}`,
      description: n % 2 === 0 ? HARD.descriptions[(n / 2) % HARD.descriptions.length] : null,
      type,
      authorizationId: auth,
      locationId: location.id,
      storageBucketId: bucket,
    });
    this.tagset({ profile: b.id, parentAuth: auth });
    for (let i = this.rng.int(3); i > 0; i--) {
      const r = this.base();
      this.add('reference', {
        ...r,
        name: this.rng.pick(['website', 'linkedin', 'repo, "main"']),
        uri: 'https://example.org/' + r.id.slice(0, 8),
        description: this.rng.pick(HARD.referenceDescriptions),
        authorizationId: this.auth('reference', auth),
        profileId: b.id,
      });
    }
    for (let i = this.rng.int(3); i > 0; i--) {
      const v = this.base();
      this.add('visual', {
        ...v,
        name: this.rng.pick(['avatar', 'banner', 'card']),
        uri: this.rng.chance(0.7) ? `https://alkem.io/api/private/rest/storage/document/${v.id}` : '',
        minWidth: 190,
        maxWidth: 410,
        minHeight: 190,
        maxHeight: 410,
        aspectRatio: this.rng.pick(['1.0', '1.5', '6.0']),
        allowedTypes: 'image/png,image/jpeg,image/svg+xml',
        alternativeText: this.rng.chance(0.5) ? null : 'Alt text, with "quotes"',
        authorizationId: this.auth('visual', auth),
        profileId: b.id,
      });
    }
    if (this.rng.chance(0.2)) this.document(bucket, auth);
    return b.id;
  }

  private document(bucket: Id, parentAuth: Id): void {
    const d = this.base();
    const auth = this.auth('document', parentAuth);
    this.add('document', {
      ...d,
      createdBy: this.users.length ? this.creator(9) : null,
      displayName: this.rng.pick(['report.pdf', 'Logo – final (2).png', 'naïve café.jpg']),
      mimeType: this.rng.pick(['application/pdf', 'image/png', 'image/jpeg']),
      size: this.rng.between(1000, 9_000_000),
      externalID: d.id.replace(/-/g, ''),
      temporaryLocation: this.rng.chance(0.05),
      authorizationId: auth,
      storageBucketId: bucket,
      tagsetId: this.tagset({ parentAuth: auth }),
    });
  }

  private room(type: string, parentAuth: Id): Id {
    const r = this.base();
    this.add('room', {
      ...r,
      externalRoomID: `!${r.id.slice(0, 18)}:alkem.io`,
      messagesCount: this.rng.int(40),
      type,
      displayName: `${type}-${r.id.slice(0, 6)}`,
      authorizationId: this.auth('room', parentAuth),
    });
    return r.id;
  }

  private lifecycle(): Id {
    const l = this.base();
    this.add('lifecycle', {
      ...l,
      machineState: this.rng.chance(0.1)
        ? null
        : `{"value":"${this.rng.pick(['new', 'approved', 'rejected'])}","context":{},"history":{"value":"new"}}`,
    });
    return l.id;
  }

  private agent(type: string, parentAuth: Id | null): Id {
    const a = this.base();
    this.add('agent', { ...a, type, authorizationId: this.auth('agent', parentAuth) });
    return a.id;
  }

  credential(agent: Id, type: string, resourceID: string): void {
    const c = this.base();
    this.add('credential', {
      ...c,
      resourceID,
      type,
      issuer: this.rng.chance(0.2) ? this.rng.uuid() : null,
      expires: this.rng.chance(0.1) ? this.dateTime() : null,
      agentId: agent,
    });
  }

  private license(type: string, parentAuth: Id): Id {
    const l = this.base();
    this.add('license', { ...l, type, authorizationId: this.auth('license', parentAuth) });
    for (const kind of ['space-flag-save-as-template', 'account-space-free']) {
      const e = this.base();
      this.add('license_entitlement', {
        ...e,
        type: kind,
        dataType: kind.includes('flag') ? 'flag' : 'limit',
        limit: this.rng.int(5),
        enabled: this.rng.chance(0.5),
        licenseId: l.id,
      });
    }
    return l.id;
  }

  private form(): Id {
    const f = this.base();
    this.add('form', {
      ...f,
      questions: '[{"question":"Why do you want to join?","required":true,"maxLength":500,"sortOrder":1}]',
      description: this.rng.chance(0.5) ? '' : 'Please tell us\nabout yourself',
    });
    return f.id;
  }

  private roleSet(type: string, parentAuth: Id, parent: Id | null, license: Id | null): Id {
    const r = this.base();
    this.add('role_set', {
      ...r,
      entryRoleName: 'member',
      type,
      authorizationId: this.auth('role-set', parentAuth),
      licenseId: license,
      applicationFormId: this.form(),
      parentRoleSetId: parent,
    });
    for (const name of ['member', 'lead', 'admin']) {
      const role = this.base();
      this.add('role', {
        ...role,
        name,
        credential: `{"type":"space-${name}","resourceID":"${r.id}"}`,
        parentCredentials: parent ? `[{"type":"space-member","resourceID":"${parent}"}]` : '[]',
        requiresEntryRole: name !== 'member',
        requiresSameRoleInParentRoleSet: parent !== null && name === 'member',
        userPolicy: '{"minimum":0,"maximum":-1}',
        organizationPolicy: '{"minimum":0,"maximum":-1}',
        virtualContributorPolicy: '{"minimum":0,"maximum":0}',
        roleSetId: r.id,
      });
    }
    return r.id;
  }

  private tagsetTemplateSet(): { set: Id; flowTemplate: Id } {
    const s = this.base();
    this.add('tagset_template_set', s);
    let flowTemplate = '';
    for (const name of ['flow-state', 'group']) {
      const t = this.base();
      if (name === 'flow-state') flowTemplate = t.id;
      this.add('tagset_template', {
        ...t,
        name,
        type: 'select-one',
        allowedValues:
          name === 'flow-state' ? 'Explore,Define,Develop,Deliver' : this.rng.pick(['', 'HOME,COMMUNITY,KNOWLEDGE']),
        defaultSelectedValue: name === 'flow-state' ? 'Explore' : null,
        tagsetTemplateSetId: s.id,
      });
    }
    return { set: s.id, flowTemplate };
  }

  // ---------------------------------------------------------------- content

  private whiteboard(owner: Owner): Id {
    const w = this.base();
    const auth = this.auth('whiteboard', owner.auth);
    const n = this.whiteboards++;
    // The first whiteboards, up to the budget, every 50th, carry over a megabyte of incompressible data.
    const big = n % 50 === 0 && this.bigWhiteboards-- > 0;
    const created = n % 11 === 5 ? '' : this.creator(7);
    this.add('whiteboard', {
      ...w,
      nameID: this.nameId('whiteboard'),
      content: encodeWhiteboardContent(whiteboardJson(this.rng, big)),
      createdBy: created,
      contentUpdatePolicy: this.rng.pick(['admins', 'contributors', 'owner']),
      previewSettings: '{"mode":"auto","coordinates":null}',
      authorizationId: auth,
      profileId: this.profile('whiteboard', { auth, aggregator: owner.aggregator }),
    });
    return w.id;
  }

  private memo(owner: Owner): Id {
    const m = this.base();
    const auth = this.auth('memo', owner.auth);
    this.add('memo', {
      ...m,
      nameID: this.nameId('memo'),
      content: this.rng.chance(0.2)
        ? null
        : Buffer.concat([Buffer.from([0, 255, 0, 1]), this.rng.bytes(this.rng.between(16, 2048))]),
      createdBy: this.creator(9),
      contentUpdatePolicy: 'contributors',
      authorizationId: auth,
      profileId: this.profile('memo', { auth, aggregator: owner.aggregator }),
    });
    return m.id;
  }

  private link(owner: Owner): Id {
    const l = this.base();
    const auth = this.auth('link', owner.auth);
    this.add('link', {
      ...l,
      uri: this.rng.pick(['https://alkem.io', 'https://example.org/a?b=c&d=e', '']),
      authorizationId: auth,
      profileId: this.profile('contribution-link', { auth, aggregator: owner.aggregator }),
    });
    return l.id;
  }

  private post(owner: Owner): Id {
    const p = this.base();
    const auth = this.auth('post', owner.auth);
    this.add('post', {
      ...p,
      nameID: this.nameId('post'),
      createdBy: this.creator(5),
      authorizationId: auth,
      profileId: this.profile('post', { auth, aggregator: owner.aggregator }),
      commentsId: this.room('post', auth),
    });
    return p.id;
  }

  callout(
    calloutsSet: Id | null,
    owner: Owner,
    isTemplate: boolean,
    sortOrder: number,
    flowTemplate: Id | null = null,
  ): Id {
    const c = this.base();
    const auth = this.auth('callout', owner.auth);
    const inner = { auth, aggregator: owner.aggregator };
    const framingKind = this.rng.pick(['none', 'whiteboard', 'link', 'memo'] as const);
    const f = this.base();
    const framingAuth = this.auth('callout-framing', auth);
    const framingOwner = { auth: framingAuth, aggregator: owner.aggregator };
    this.add('callout_framing', {
      ...f,
      type: framingKind,
      authorizationId: framingAuth,
      profileId: this.profile('callout-framing', framingOwner),
      whiteboardId: framingKind === 'whiteboard' ? this.whiteboard(framingOwner) : null,
      linkId: framingKind === 'link' ? this.link(framingOwner) : null,
      memoId: framingKind === 'memo' ? this.memo(framingOwner) : null,
    });
    const cl = this.base();
    const classificationAuth = this.auth('classification', auth);
    this.add('classification', { ...cl, authorizationId: classificationAuth });
    this.tagset({
      classification: cl.id,
      parentAuth: classificationAuth,
      name: 'flow-state',
      template: flowTemplate ?? undefined,
    });
    const d = this.base();
    this.add('callout_contribution_defaults', {
      ...d,
      defaultDisplayName: this.rng.chance(0.5) ? null : 'Response, "default"',
      postDescription: this.rng.chance(0.5) ? null : 'Describe\n- what\n- why',
      whiteboardContent: this.rng.chance(0.4) ? encodeWhiteboardContent(whiteboardJson(this.rng, false)) : null,
    });
    const published = this.rng.int(3);
    this.add('callout', {
      ...c,
      nameID: this.nameId('callout'),
      isTemplate,
      createdBy: this.creator(5),
      settings: `{"contribution":{"enabled":true,"allowedTypes":["post"],"canAddContributions":"members","commentsEnabled":true},"framing":{"commentsEnabled":true},"visibility":"${this.rng.pick(['published', 'draft'])}"}`,
      sortOrder,
      publishedBy: published === 0 ? this.creator(9) : published === 1 ? '' : null,
      publishedDate: published === 2 ? null : this.dateTime(),
      authorizationId: auth,
      framingId: f.id,
      classificationId: cl.id,
      contributionDefaultsId: d.id,
      commentsId: this.room('callout', auth),
      calloutsSetId: calloutsSet,
    });
    if (!isTemplate) {
      for (let i = 0, n = this.rng.between(1, 4); i < n; i++) this.contribution(c.id, inner, i);
    }
    return c.id;
  }

  private contribution(callout: Id, owner: Owner, sortOrder: number): void {
    const c = this.base();
    const auth = this.auth('callout-contribution', owner.auth);
    const kind = this.rng.pick(['post', 'post', 'whiteboard', 'link', 'memo'] as const);
    const inner = { auth, aggregator: owner.aggregator };
    this.add('callout_contribution', {
      ...c,
      createdBy: this.creator(9),
      type: kind,
      sortOrder,
      authorizationId: auth,
      whiteboardId: kind === 'whiteboard' ? this.whiteboard(inner) : null,
      memoId: kind === 'memo' ? this.memo(inner) : null,
      postId: kind === 'post' ? this.post(inner) : null,
      linkId: kind === 'link' ? this.link(inner) : null,
      calloutId: callout,
    });
  }

  private calloutsSet(type: string, parentAuth: Id): { id: Id; auth: Id; flowTemplate: Id } {
    const s = this.base();
    const auth = this.auth('callouts-set', parentAuth);
    const tts = this.tagsetTemplateSet();
    this.add('callouts_set', { ...s, type, authorizationId: auth, tagsetTemplateSetId: tts.set });
    return { id: s.id, auth, flowTemplate: tts.flowTemplate };
  }

  private collaboration(owner: Owner, isTemplate: boolean, calloutCount: number): { id: Id; callouts: Id[] } {
    const c = this.base();
    const auth = this.auth('collaboration', owner.auth);
    const inner = { auth, aggregator: owner.aggregator };
    const set = this.calloutsSet('collaboration', auth);
    const timeline = this.base();
    const timelineAuth = this.auth('timeline', auth);
    const calendar = this.base();
    const calendarAuth = this.auth('calendar', timelineAuth);
    this.add('calendar', { ...calendar, authorizationId: calendarAuth });
    this.add('timeline', { ...timeline, authorizationId: timelineAuth, calendarId: calendar.id });
    for (let i = this.rng.int(3); i > 0; i--) {
      const e = this.base();
      const eAuth = this.auth('calendar-event', calendarAuth);
      const days = this.rng.int(3);
      this.add('calendar_event', {
        ...e,
        nameID: this.nameId('event'),
        type: this.rng.pick(['event', 'milestone', 'training']),
        createdBy: this.creator(9),
        startDate: this.dateTime(),
        wholeDay: days > 0,
        multipleDays: days > 1,
        durationMinutes: this.rng.pick([30, 60, 90]),
        durationDays: days > 0 ? days : null,
        visibleOnParentCalendar: this.rng.chance(0.5),
        authorizationId: eAuth,
        profileId: this.profile('calendar-event', { auth: eAuth, aggregator: owner.aggregator }),
        commentsId: this.room('calendar-event', eAuth),
        calendarId: calendar.id,
      });
    }
    const flow = this.base();
    const flowAuth = this.auth('innovation-flow', auth);
    const states: Id[] = [];
    for (const [i, name] of ['Explore', 'Define', 'Develop', 'Deliver'].entries()) {
      const s = this.base();
      states.push(s.id);
      this.add('innovation_flow_state', {
        ...s,
        displayName: name,
        description: i === 0 ? 'Start here.\nThen move on.' : null,
        settings: '{"allowNewCallouts":true}',
        sortOrder: i,
        authorizationId: this.auth('innovation-flow-state', flowAuth),
        innovationFlowId: flow.id,
      });
    }
    this.add('innovation_flow', {
      ...flow,
      currentStateID: this.rng.pick(states),
      settings: '{"maximumNumberOfStates":8,"minimumNumberOfStates":1}',
      authorizationId: flowAuth,
      profileId: this.profile('innovation-flow', { auth: flowAuth, aggregator: owner.aggregator }),
      flowStatesTagsetTemplateId: set.flowTemplate,
    });
    this.add('collaboration', {
      ...c,
      isTemplate,
      authorizationId: auth,
      calloutsSetId: set.id,
      timelineId: timeline.id,
      innovationFlowId: flow.id,
      licenseId: this.license('collaboration', auth),
    });
    const callouts: Id[] = [];
    for (let i = 0; i < calloutCount; i++)
      callouts.push(
        this.callout(set.id, { auth: set.auth, aggregator: inner.aggregator }, isTemplate, i, set.flowTemplate),
      );
    return { id: c.id, callouts };
  }

  private about(owner: Owner, kind: 'space-about'): Id {
    const a = this.base();
    const auth = this.auth('space-about', owner.auth);
    const g = this.base();
    const gAuth = this.auth('community-guidelines', auth);
    this.add('community_guidelines', {
      ...g,
      authorizationId: gAuth,
      profileId: this.profile('community-guidelines', { auth: gAuth, aggregator: owner.aggregator }),
    });
    this.add('space_about', {
      ...a,
      why: this.rng.chance(0.3) ? null : 'Because **climate** matters.\n\nAnd "people" too.',
      who: this.rng.chance(0.3) ? '' : 'Everyone, everywhere 🌍',
      authorizationId: auth,
      profileId: this.profile(kind, { auth, aggregator: owner.aggregator }),
      guidelinesId: g.id,
    });
    return a.id;
  }

  // ---------------------------------------------------------------- top-level aggregates

  platform(): void {
    const p = this.base();
    this.platformAuth = this.auth('platform', null);
    const store = this.aggregator('platform', null, this.platformAuth);
    const forum = this.base();
    const forumAuth = this.auth('forum', this.platformAuth);
    this.add('forum', {
      ...forum,
      discussionCategories: 'releases,platform-functionalities,community-building,challenge-centric,help,other',
      authorizationId: forumAuth,
    });
    for (let i = 0; i < 3; i++) {
      const d = this.base();
      const dAuth = this.auth('discussion', forumAuth);
      this.add('discussion', {
        ...d,
        nameID: this.nameId('discussion'),
        category: this.rng.pick(['releases', 'help', 'other']),
        createdBy: this.rng.uuid(),
        privacy: 'authenticated',
        authorizationId: dAuth,
        profileId: this.profile('discussion', { auth: dAuth, aggregator: store.aggregator }),
        commentsId: this.room('discussion', dAuth),
        forumId: forum.id,
      });
    }
    const library = this.base();
    this.add('library', { ...library, authorizationId: this.auth('library', this.platformAuth) });
    const lp = this.base();
    this.add('license_policy', {
      ...lp,
      credentialRules:
        '[{"credentialType":"space-license-free","grantedEntitlements":[{"type":"space-free","limit":1}],"name":"Space Free"}]',
      authorizationId: this.auth('license-policy', this.platformAuth),
    });
    const lf = this.base();
    this.add('licensing_framework', {
      ...lf,
      authorizationId: this.auth('licensing-framework', this.platformAuth),
      licensePolicyId: lp.id,
    });
    for (const [i, name] of ['FREE', 'PLUS', 'PREMIUM'].entries()) {
      const plan = this.base();
      this.add('license_plan', {
        ...plan,
        name,
        enabled: true,
        sortOrder: i,
        pricePerMonth: i === 0 ? null : ['0.00', '9.99', '1234.50'][i],
        isFree: i === 0,
        trialEnabled: i === 1,
        requiresPaymentMethod: i > 0,
        requiresContactSupport: i === 2,
        licenseCredential: `space-license-${name.toLowerCase()}`,
        type: 'space-plan',
        assignToNewOrganizationAccounts: false,
        assignToNewUserAccounts: i === 0,
        licensingFrameworkId: lf.id,
      });
    }
    const tm = this.templatesManager(store, true);
    this.platformRoleSet = this.roleSet('platform', this.platformAuth, null, null);
    const ai = this.base();
    this.aiServer = ai.id;
    this.add('ai_server', { ...ai, authorizationId: this.auth('ai-server', null) });
    this.add('platform', {
      ...p,
      settings: '{"integration":{"iframeAllowedUrls":["https://alkem.io"],"notificationEmailBlacklist":[]}}',
      wellKnownVirtualContributors: '{}',
      authorizationId: this.platformAuth,
      forumId: forum.id,
      libraryId: library.id,
      templatesManagerId: tm,
      storageAggregatorId: store.aggregator,
      licensingFrameworkId: lf.id,
      roleSetId: this.platformRoleSet,
    });
    // A profile type no live table uses any more, kept as production still holds such rows.
    this.profile('virtual-persona', store);
    for (let i = 0; i < 2; i++) {
      const q = { id: i + 1 };
      this.add('query-result-cache', {
        ...q,
        identifier: i === 0 ? null : 'platform-settings',
        time: String(1700000000000 + i),
        duration: 60000,
        query: 'SELECT 1',
        result: '[{"1":1}]',
      });
    }
  }

  private templatesSet(owner: Owner, withContentSpace: boolean): Id {
    const s = this.base();
    const auth = this.auth('templates-set', owner.auth);
    this.add('templates_set', { ...s, authorizationId: auth });
    const kinds = withContentSpace
      ? (['space', 'callout', 'whiteboard', 'community-guidelines', 'post'] as const)
      : (['post', 'whiteboard'] as const);
    for (const kind of kinds) this.template(kind, s.id, { auth, aggregator: owner.aggregator });
    return s.id;
  }

  private template(kind: string, set: Id, owner: Owner): Id {
    const t = this.base();
    const auth = this.auth('template', owner.auth);
    const inner = { auth, aggregator: owner.aggregator };
    let guidelines: Id | null = null;
    if (kind === 'community-guidelines') {
      const g = this.base();
      const gAuth = this.auth('community-guidelines', auth);
      this.add('community_guidelines', {
        ...g,
        authorizationId: gAuth,
        profileId: this.profile('community-guidelines', { auth: gAuth, aggregator: owner.aggregator }),
      });
      guidelines = g.id;
    }
    let contentSpace: Id | null = null;
    if (kind === 'space') {
      contentSpace = this.contentSpace(inner, null, 0);
      this.contentSpace(inner, contentSpace, 1);
    }
    this.add('template', {
      ...t,
      nameID: this.nameId('template'),
      type: kind,
      postDefaultDescription: kind === 'post' ? '## Title\n\nWrite here…' : null,
      authorizationId: auth,
      profileId: this.profile('template', inner),
      templatesSetId: set,
      communityGuidelinesId: guidelines,
      calloutId: kind === 'callout' ? this.callout(null, inner, true, 0) : null,
      whiteboardId: kind === 'whiteboard' ? this.whiteboard(inner) : null,
      contentSpaceId: contentSpace,
    });
    return t.id;
  }

  private contentSpace(owner: Owner, parent: Id | null, level: number): Id {
    const s = this.base();
    const auth = this.auth('template-content-space', owner.auth);
    const inner = { auth, aggregator: owner.aggregator };
    this.add('template_content_space', {
      ...s,
      rowId: this.rowId('template_content_space'),
      settings: '{"privacy":{"mode":"public"},"membership":{"policy":"open"}}',
      level,
      authorizationId: auth,
      parentSpaceId: parent,
      collaborationId: this.collaboration(inner, true, 1).id,
      aboutId: this.about(inner, 'space-about'),
    });
    return s.id;
  }

  private templatesManager(owner: Owner, platform: boolean): Id {
    const m = this.base();
    const auth = this.auth('templates-manager', owner.auth);
    const set = this.templatesSet({ auth, aggregator: owner.aggregator }, platform);
    this.add('templates_manager', { ...m, authorizationId: auth, templatesSetId: set });
    const d = this.base();
    this.add('template_default', {
      ...d,
      type: platform ? 'platform-space' : 'space-subspace',
      allowedTemplateType: 'space',
      authorizationId: this.auth('template-default', auth),
      templatesManagerId: m.id,
      templateId: null,
    });
    return m.id;
  }

  private account(type: 'user' | 'organization'): { id: Id; owner: Owner; agent: Id } {
    const a = this.base();
    const auth = this.auth('account', null);
    const store = this.aggregator('account', null, auth);
    const agent = this.agent('account', auth);
    this.add('account', {
      ...a,
      type,
      externalSubscriptionID: this.rng.chance(0.1) ? `sub_${a.id.slice(0, 12)}` : null,
      baselineLicensePlan:
        '{"spaceFree":1,"spacePlus":0,"spacePremium":0,"virtualContributor":1,"innovationPacks":0,"startingPages":0}',
      authorizationId: auth,
      agentId: agent,
      licenseId: this.license('account', auth),
      storageAggregatorId: store.aggregator,
    });
    const acc = { id: a.id, owner: store, agent };
    this.accounts.push(acc);
    return acc;
  }

  user(): Id {
    const u = this.base();
    const acc = this.account('user');
    const auth = this.auth('user', null);
    const store = this.aggregator('user', null, auth);
    const agent = this.agent('user', auth);
    this.credential(agent, 'global-registered', '');
    if (this.users.length === 0) this.credential(agent, 'global-admin', '');
    this.credential(agent, 'account-host', acc.id);
    const settings = this.base();
    this.add('user_settings', {
      ...settings,
      communication: '{"allowOtherUsersToSendMessages":true}',
      privacy: '{"contributionRolesPubliclyVisible":true}',
      notification: '{"platform":{"newUserSignUp":false},"space":{"communicationUpdates":true}}',
      authorizationId: this.auth('user-settings', auth),
    });
    const conv = this.base();
    const convAuth = this.auth('conversations-set', auth);
    this.add('conversations_set', { ...conv, authorizationId: convAuth });
    const n = this.users.length + 1;
    this.users.push(u.id);
    this.userAgents.set(u.id, agent);
    this.add('user', {
      ...u,
      nameID: `user-${n}`,
      communicationID: `@user-${n}:alkem.io`,
      accountID: n % 13 === 0 ? acc.id.toUpperCase() : acc.id,
      rowId: this.rowId('user'),
      accountUpn: `user${n}@example.org`,
      firstName: this.rng.pick(['Ana', 'Zoë', "O'Brien", 'José', '李']),
      lastName: this.rng.pick(['de Vries', 'Smith-Jones', 'Ñúñez', 'Müller']),
      email: `user${n}@example.org`,
      phone: this.rng.pick([null, '', '+31 6 1234 5678']),
      serviceProfile: false,
      authorizationId: auth,
      profileId: this.profile('user', { auth, aggregator: store.aggregator }),
      agentId: agent,
      settingsId: settings.id,
      storageAggregatorId: store.aggregator,
      conversationsSetId: conv.id,
    });
    for (let i = this.rng.int(3); i > 0; i--) this.conversation(conv.id, convAuth, u.id);
    return u.id;
  }

  private conversation(set: Id, parentAuth: Id, user: Id): void {
    const c = this.base();
    const auth = this.auth('conversation', parentAuth);
    const withVc = this.rng.chance(0.4) && this.virtualContributors.length > 0;
    const room = this.room(withVc ? 'conversation-vc' : 'conversation-direct', auth);
    this.add('conversation', {
      ...c,
      type: withVc ? 'user-vc' : 'user-user',
      userID: user,
      virtualContributorID: withVc ? this.rng.pick(this.virtualContributors) : this.rng.pick(['', null]),
      wellKnownVirtualContributor: withVc && this.rng.chance(0.3) ? 'chat-guidance' : null,
      authorizationId: auth,
      conversationsSetId: set,
      roomId: room,
    });
    if (withVc) {
      const v = this.base();
      this.add('vc_interaction', {
        ...v,
        threadID: `$${v.id.replace(/-/g, '').slice(0, 43)}`,
        virtualContributorID: this.rng.pick(this.virtualContributors),
        externalMetadata: '{"threadId":"thread_abc","runId":null}',
        roomId: room,
      });
    }
  }

  organization(): Id {
    const o = this.base();
    const acc = this.account('organization');
    const auth = this.auth('organization', null);
    const store = this.aggregator('organization', null, auth);
    const agent = this.agent('organization', auth);
    const v = this.base();
    const vAuth = this.auth('organization-verification', auth);
    this.add('organization_verification', {
      ...v,
      organizationID: o.id,
      status: this.rng.pick(['not-verified', 'verified-manual']),
      authorizationId: vAuth,
      lifecycleId: this.lifecycle(),
    });
    const n = this.organizations.length + 1;
    this.organizations.push(o.id);
    const roleSet = this.roleSet('organization', auth, null, null);
    this.add('organization', {
      ...o,
      nameID: `org-${n}`,
      communicationID: `@org-${n}:alkem.io`,
      accountID: acc.id,
      settings:
        '{"membership":{"allowUsersMatchingDomainToJoin":false},"privacy":{"contributionRolesPubliclyVisible":true}}',
      rowId: this.rowId('organization'),
      legalEntityName: this.rng.pick(['', 'Stichting "Alkemio"', 'ACME B.V.']),
      domain: this.rng.pick(['', 'example.org']),
      website: this.rng.pick(['', 'https://example.org']),
      contactEmail: this.rng.pick(['', `info@org${n}.example`]),
      authorizationId: auth,
      profileId: this.profile('organization', { auth, aggregator: store.aggregator }),
      agentId: agent,
      verificationId: v.id,
      storageAggregatorId: store.aggregator,
      roleSetId: roleSet,
    });
    this.userGroup({ auth, aggregator: store.aggregator }, o.id, null);
    for (const u of this.sample(this.users, 3)) {
      const userAgent = this.userAgents.get(u);
      if (userAgent) this.credential(userAgent, 'organization-associate', o.id);
    }
    if (this.organizations.length === 1 || this.rng.chance(0.3)) this.innovationHub(acc);
    if (this.organizations.length === 1 || this.rng.chance(0.3)) this.innovationPack(acc);
    return o.id;
  }

  private userGroup(owner: Owner, organization: Id | null, community: Id | null): void {
    const g = this.base();
    const auth = this.auth('user-group', owner.auth);
    this.add('user_group', {
      ...g,
      authorizationId: auth,
      profileId: this.profile('user-group', { auth, aggregator: owner.aggregator }),
      organizationId: organization,
      communityId: community,
    });
  }

  private innovationHub(acc: { id: Id; owner: Owner }): void {
    const h = this.base();
    const auth = this.auth('innovation-hub', acc.owner.auth);
    const name = this.nameId('hub');
    this.add('innovation_hub', {
      ...h,
      nameID: name,
      subdomain: name,
      type: this.rng.pick(['visibility', 'list']),
      spaceVisibilityFilter: this.rng.pick([null, 'active']),
      spaceListFilter:
        this.spaces.length && this.rng.chance(0.7)
          ? this.sample(this.spaces, 2)
              .map((s) => s.id)
              .join(',')
          : this.rng.pick([null, '']),
      listedInStore: this.rng.chance(0.5),
      searchVisibility: 'account',
      authorizationId: auth,
      profileId: this.profile('innovation-hub', { auth, aggregator: acc.owner.aggregator }),
      accountId: acc.id,
    });
  }

  private innovationPack(acc: { id: Id; owner: Owner }): void {
    const p = this.base();
    const auth = this.auth('innovation-pack', acc.owner.auth);
    const inner = { auth, aggregator: acc.owner.aggregator };
    this.add('innovation_pack', {
      ...p,
      nameID: this.nameId('pack'),
      listedInStore: this.rng.chance(0.5),
      searchVisibility: 'public',
      authorizationId: auth,
      profileId: this.profile('innovation-pack', inner),
      accountId: acc.id,
      templatesSetId: this.templatesSet(inner, false),
    });
  }

  virtualContributor(): void {
    const owner = this.rng.chance(0.5) && this.organizations.length ? 'organization' : 'user';
    const acc = this.account(owner);
    const v = this.base();
    const auth = this.auth('virtual-contributor', acc.owner.auth);
    const inner = { auth, aggregator: acc.owner.aggregator };
    const persona = this.base();
    this.add('ai_persona', {
      ...persona,
      engine: this.rng.pick(['expert', 'guidance', 'generic-openai']),
      prompt: '["You are a helpful assistant.\\nAnswer in \\"plain\\" language."]',
      externalConfig: this.rng.chance(0.5) ? null : '{"assistantId":"asst_123","apiKey":""}',
      bodyOfKnowledgeLastUpdated: this.rng.chance(0.5) ? null : this.dateTime(),
      promptGraph: this.rng.chance(0.5) ? null : '{"nodes":[],"edges":[],"start":"a"}',
      authorizationId: this.auth('ai-persona', null),
      aiServerId: this.aiServer,
    });
    const kb = this.base();
    const kbAuth = this.auth('knowledge-base', auth);
    const set = this.calloutsSet('knowledge-base', kbAuth);
    this.add('knowledge_base', {
      ...kb,
      authorizationId: kbAuth,
      profileId: this.profile('knowledge-base', inner),
      calloutsSetId: set.id,
    });
    this.callout(set.id, { auth: set.auth, aggregator: inner.aggregator }, false, 0);
    const n = this.virtualContributors.length + 1;
    this.virtualContributors.push(v.id);
    this.add('virtual_contributor', {
      ...v,
      nameID: `vc-${n}`,
      communicationID: `@vc-${n}:alkem.io`,
      rowId: this.rowId('virtual_contributor'),
      settings: '{"privacy":{"knowledgeBaseContentVisible":false}}',
      platformSettings: this.rng.chance(0.5) ? null : '{"promptGraphEditingEnabled":false}',
      aiPersonaID: persona.id,
      bodyOfKnowledgeID: this.spaces.length ? this.rng.pick(this.spaces).id : null,
      promptGraphDefinition: null,
      listedInStore: this.rng.chance(0.5),
      searchVisibility: 'account',
      dataAccessMode: 'space-profile',
      interactionModes: this.rng.pick(['discussion-tagging', '']),
      bodyOfKnowledgeType: 'alkemio-space',
      bodyOfKnowledgeDescription: this.rng.chance(0.5) ? null : 'Knows about\n"everything"',
      authorizationId: auth,
      profileId: this.profile('virtual-contributor', inner),
      agentId: this.agent('virtual-contributor', auth),
      accountId: acc.id,
      knowledgeBaseId: kb.id,
    });
  }

  /** A space at level 0, 1 or 2; levels 1 and 2 hang under `parent`. */
  space(account: { id: Id; owner: Owner }, parent: SpaceRef | null, calloutCount: number): SpaceRef {
    const s = this.base();
    const level = parent ? parent.level + 1 : 0;
    const auth = this.auth('space', parent ? parent.auth : account.owner.auth);
    const store = this.aggregator(
      level === 0 ? 'space' : 'subspace',
      parent ? parent.aggregator : account.owner.aggregator,
      auth,
    );
    const inner = { auth, aggregator: store.aggregator };
    const members = this.sample(this.users, 4);
    const collab = this.collaboration(inner, false, calloutCount);
    const license = this.license('space', auth);
    const roleSet = this.roleSet('space', auth, parent ? parent.roleSet : null, null);
    const community = this.community(inner, s.id, roleSet);
    const agent = this.agent('space', auth);
    this.credential(agent, 'space-license-free', s.id);
    const ref: SpaceRef = {
      id: s.id,
      level,
      levelZero: parent ? parent.levelZero : s.id,
      auth,
      aggregator: store.aggregator,
      roleSet,
      collaboration: collab.id,
      callouts: collab.callouts,
    };
    this.add('space', {
      ...s,
      nameID: this.nameId(level === 0 ? 'space' : 'subspace'),
      rowId: this.rowId('space'),
      settings:
        '{"privacy":{"mode":"public","allowPlatformSupportAsAdmin":false},"membership":{"policy":"applications","trustedOrganizations":[]},"collaboration":{"inheritMembershipRights":true}}',
      platformRolesAccess: '{"roles":[]}',
      levelZeroSpaceID: ref.levelZero,
      level,
      visibility: this.rng.pick(['active', 'active', 'archived', 'demo']),
      authorizationId: auth,
      parentSpaceId: parent ? parent.id : null,
      accountId: account.id,
      collaborationId: collab.id,
      aboutId: this.about(inner, 'space-about'),
      communityId: community,
      agentId: agent,
      storageAggregatorId: store.aggregator,
      templatesManagerId: level === 0 ? this.templatesManager(inner, false) : null,
      licenseId: license,
    });
    for (const m of members) this.memberOf(m, ref);
    this.spaces.push(ref);
    return ref;
  }

  private community(owner: Owner, space: Id, roleSet: Id): Id {
    const c = this.base();
    const auth = this.auth('community', owner.auth);
    const comm = this.base();
    const commAuth = this.auth('communication', auth);
    this.add('communication', {
      ...comm,
      spaceID: space,
      displayName: `Communication ${space.slice(0, 8)}`,
      authorizationId: commAuth,
      updatesId: this.room('updates', commAuth),
    });
    this.add('community', {
      ...c,
      parentID: space,
      authorizationId: auth,
      communicationId: comm.id,
      roleSetId: roleSet,
    });
    if (this.rng.chance(0.3)) this.userGroup({ auth, aggregator: owner.aggregator }, null, c.id);
    for (const u of this.sample(this.users, 1)) {
      const a = this.base();
      this.add('application', {
        ...a,
        authorizationId: this.auth('application', auth),
        lifecycleId: this.lifecycle(),
        userId: u,
        roleSetId: roleSet,
      });
      for (let i = 0; i < 2; i++) {
        const q = this.base();
        this.add('nvp', {
          ...q,
          name: i === 0 ? 'Why do you want to join?' : 'Anything else, "really"?',
          value: this.rng.pick(['', 'Because.', 'Multi\nline']),
          sortOrder: i,
        });
        this.add('application_questions', { applicationId: a.id, nvpId: q.id });
      }
    }
    if (this.users.length) {
      const inv = this.base();
      this.add('invitation', {
        ...inv,
        invitedContributorID: this.rng.pick(this.users),
        createdBy: this.creator(9),
        welcomeMessage: this.rng.pick([null, '', 'Welcome!\nSee you there 👋']),
        invitedToParent: this.rng.chance(0.2),
        contributorType: 'user',
        extraRoles: this.rng.pick(['', 'lead', 'lead,admin']),
        authorizationId: this.auth('invitation', auth),
        lifecycleId: this.lifecycle(),
        roleSetId: roleSet,
      });
    }
    if (this.rng.chance(0.3)) this.platformInvitation(roleSet, auth);
    return c.id;
  }

  platformInvitation(roleSet: Id | null, parentAuth: Id | null): void {
    const p = this.base();
    this.add('platform_invitation', {
      ...p,
      roleSetInvitedToParent: false,
      roleSetExtraRoles: this.rng.pick(['', 'admin']),
      email: `invitee+${p.id.slice(0, 6)}@example.org`,
      firstName: this.rng.pick([null, 'Émile']),
      lastName: null,
      createdBy: this.creator(9),
      welcomeMessage: this.rng.pick([null, 'Hi,\r\njoin us']),
      profileCreated: this.rng.chance(0.3),
      authorizationId: this.auth('platform-invitation', parentAuth),
      roleSetId: roleSet ?? this.platformRoleSet,
    });
  }

  private memberOf(user: Id, space: SpaceRef): void {
    const agent = this.userAgents.get(user);
    if (agent) this.credential(agent, this.rng.chance(0.2) ? 'space-admin' : 'space-member', space.id);
  }

  /** Activity and notifications reference what exists; call after the graph is built. */
  activities(perCallout: number): void {
    for (const space of this.spaces) {
      for (const callout of space.callouts) {
        for (let i = 0; i < perCallout; i++) {
          const a = this.base();
          this.add('activity', {
            ...a,
            rowId: this.rowId('activity'),
            triggeredBy: this.creator(9),
            resourceID: callout,
            parentID: this.rng.pick([space.id, '', null]),
            collaborationID: space.collaboration,
            messageID: this.rng.chance(0.3) ? `$${a.id.replace(/-/g, '').slice(0, 32)}abcdefghijk` : null,
            visibility: this.rng.chance(0.9),
            description: this.rng.pick([null, '', 'Posted a new "response", see it']),
            type: this.rng.pick(['callout-published', 'callout-post-created', 'member-joined']),
          });
        }
        if (this.users.length && this.rng.chance(0.5)) this.notification(space, callout);
      }
    }
  }

  private notification(space: SpaceRef, callout: Id): void {
    const n = this.base();
    const receiver = this.rng.pick(this.users);
    this.add('in_app_notification', {
      ...n,
      rowId: this.rowId('in_app_notification'),
      type: 'space-collaboration-callout-published',
      state: this.rng.pick(['unread', 'read', 'archived']),
      category: 'member',
      triggeredAt: this.dateTime(),
      triggeredByID: this.creator(9),
      receiverID: receiver,
      payload: `{"type":"space-collaboration-callout","spaceID":"${space.id}","calloutID":"${callout}"}`,
      spaceID: space.id,
      organizationID: this.organizations.length && this.rng.chance(0.2) ? this.rng.pick(this.organizations) : null,
      userID: this.rng.chance(0.2) ? receiver : null,
      applicationID: null,
      invitationID: null,
      calloutID: callout,
      contributionID: null,
      roomID: null,
      messageID: null,
      contributorOrganizationID: null,
      contributorUserID: this.rng.chance(0.3) ? this.rng.pick(this.users) : null,
      contributorVcID:
        this.virtualContributors.length && this.rng.chance(0.2) ? this.rng.pick(this.virtualContributors) : null,
      calendarEventID: null,
    });
  }

  private sample<T>(items: readonly T[], max: number): T[] {
    if (items.length === 0) return [];
    const out = new Set<T>();
    for (let i = this.rng.between(1, max); i > 0; i--) out.add(this.rng.pick(items));
    return [...out];
  }
}

function micro(ms: number, extraMicros: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(extraMicros).padStart(3, '0')}`;
}

const RULE_TYPES = [
  'space-admin',
  'space-member',
  'space-lead',
  'global-admin',
  'global-support',
  'organization-admin',
  'account-host',
  'user-self-management',
];

/** Policies of containers carry many rules (multi-KB); leaf policies (profile, tagset…) a few. */
const RICH_POLICIES = new Set([
  'platform',
  'account',
  'user',
  'organization',
  'space',
  'collaboration',
  'callout',
  'callouts-set',
  'community',
  'role-set',
  'virtual-contributor',
  'templates-manager',
]);

/** Rules JSON as Alkemio's authorization policies carry: the bulk of the database. */
function credentialRules(rng: AlkemioPrng, type: string): string {
  const resource = rng.uuid();
  const parts: string[] = [];
  for (let i = 0, n = RICH_POLICIES.has(type) ? rng.between(10, 18) : rng.between(1, 3); i < n; i++) {
    const t = RULE_TYPES[(i + resource.charCodeAt(0)) % RULE_TYPES.length];
    parts.push(
      `{"name":"${type}-${t}-${i}","cascade":${i % 2 === 0},"criterias":[{"type":"${t}","resourceID":"${resource}"},{"type":"global-admin","resourceID":""}],"grantedPrivileges":["create","read","update","delete","grant","contribute","read-users","update-content"]}`,
    );
  }
  return `[${parts.join(',')}]`;
}

function privilegeRules(rng: AlkemioPrng): string {
  const parts: string[] = [];
  for (let i = 0, n = rng.between(1, 4); i < n; i++) {
    parts.push(
      `{"name":"privilege-rule-${i}","sourcePrivilege":"update","grantedPrivileges":["update-content","contribute","create-post"]}`,
    );
  }
  return `[${parts.join(',')}]`;
}

function whiteboardJson(rng: AlkemioPrng, big: boolean): string {
  const elements: string[] = [];
  for (let i = 0, n = rng.between(2, 12); i < n; i++) {
    elements.push(
      `{"id":"el${i}","type":"${rng.pick(['rectangle', 'text', 'arrow'])}","x":${rng.int(2000)},"y":${rng.int(2000)},"text":"Idée ${i} – \\"quoted\\" 🌱"}`,
    );
  }
  // Base64 of random bytes does not compress below ~75%: the stored text stays near a megabyte.
  const files = big
    ? `,"files":{"img":{"dataURL":"data:image/png;base64,${rng.bytes(800_000).toString('base64')}"}}`
    : ',"files":{}';
  return `{"type":"excalidraw","version":2,"source":"https://alkem.io","elements":[${elements.join(',')}],"appState":{"gridSize":null}${files}}`;
}
