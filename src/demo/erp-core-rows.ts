import { Prng } from './generic-prng';
import { HARD_JSON_OBJECTS, HARD_TEXTS } from './generic-hard-values';
import { SqlRow } from './generic-insert-rows';
import {
  dateOf,
  dayAfter,
  flag,
  json,
  looseText,
  momentAfter,
  momentBetween,
  orNull,
  PROSE,
  refOrNull,
  scaled,
  TableRows,
  tagsJson,
} from './erp-fixture-kit';

/** How many rows the erp_* tables got: the agent tables reference them by id (1..n). */
export interface ErpCoreCounts {
  people: number;
  executionRuns: number;
  projects: number;
  engagements: number;
  tasks: number;
}

const FIRST = [
  'Ada',
  'Grace',
  'Zoë',
  'José',
  'Ngozi',
  'Łukasz',
  'Søren',
  'Amélie',
  'Hiroshi',
  'Priya',
  'Mateo',
  'Aisha',
  "D'Arcy",
  'Björk',
  '美咲',
  'Oluwaseun',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Ångström',
  'García',
  'Okafor',
  'Wójcik',
  'Kierkegaard',
  'Poulain',
  'Tanaka',
  'Raman',
  "O'Neill",
  'Haddad',
  'van der Berg',
  '山田',
];
const ORG = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Research',
  'Société Générale de Café',
  'Müller & Söhne GmbH',
  'Tōkyō Works 株式会社',
  'Black "Mesa" Labs',
  'Stark; Industries',
  "Bob's Burgers",
];

/** Rows for the 14 erp_* tables, parents before children, ids 1..n in insertion order. */
export function buildErpCoreRows(rng: Prng, scale: number): { tables: TableRows[]; counts: ErpCoreCounts } {
  const n = {
    people: scaled(scale, 24),
    organizations: scaled(scale, 10),
    projects: scaled(scale, 16),
    engagements: scaled(scale, 14),
    tasks: scaled(scale, 60),
    okrs: scaled(scale, 8),
    blueprints: scaled(scale, 4),
    workflows: scaled(scale, 8),
    templates: scaled(scale, 12),
    runs: scaled(scale, 24),
    ventures: scaled(scale, 4),
    sprints: scaled(scale, 6),
    offers: scaled(scale, 6),
    deliverables: scaled(scale, 16),
  };
  const stamps = (): { created_at: string; updated_at: string } => {
    const c = momentBetween(rng, 0, 400);
    return { created_at: c.text, updated_at: rng.chance(0.3) ? c.text : momentAfter(rng, c, 24 * 60).text };
  };
  const rows = (count: number, make: (id: number, i: number) => SqlRow): SqlRow[] =>
    Array.from({ length: count }, (_, i) => ({ id: i + 1, ...make(i + 1, i) }));

  const people = rows(n.people, (id, i) => {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const handle = `${
      first
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase() || 'user'
    }${id}`;
    // One address in mixed case: unique only case-insensitively, in both databases.
    const email = i === 1 ? `Mixed.Case.${id}@Example.COM` : i % 9 === 4 ? null : `${handle}@example.com`;
    return {
      global_id: rng.uuid(),
      full_name: `${first} ${last}`,
      email,
      handle: i % 11 === 10 ? null : handle,
      role_label:
        i % 8 === 3
          ? ''
          : orNull(rng, 0.1, rng.pick(['Founder', 'Engineer', 'Designer', 'Account manager', 'Contractor'])),
      // Every hard text appears at least once, in the first rows.
      notes: i < HARD_TEXTS.length ? HARD_TEXTS[i] : looseText(rng, PROSE),
      is_active: flag(rng.chance(0.85)),
      ...stamps(),
    };
  });

  const organizations = rows(n.organizations, (id, i) => ({
    global_id: rng.uuid(),
    name: i < ORG.length ? ORG[i] : `${rng.pick(ORG)} ${id}`,
    website: i % 5 === 2 ? '' : orNull(rng, 0.2, `https://www.example-${id}.com/path?q=a&b=ç`),
    org_type: rng.pick(['client', 'partner', 'vendor', 'internal', 'prospect']),
    notes: looseText(rng, PROSE),
    is_active: flag(rng.chance(0.9)),
    ...stamps(),
  }));

  const projects = rows(n.projects, (id) => {
    const start = momentBetween(rng, 0, 300);
    return {
      global_id: rng.uuid(),
      name: `Project ${rng.pick(['Atlas', 'Borealis', 'Cygnus', 'Dōjō', 'Écluse'])} #${id}`,
      description: looseText(rng, PROSE),
      owner_person_id: refOrNull(rng, n.people, 0.1),
      organization_id: refOrNull(rng, n.organizations, 0.2),
      status: rng.pick(['planned', 'active', 'on_hold', 'completed', 'cancelled']),
      start_date: orNull(rng, 0.15, dateOf(start.ms)),
      end_date: rng.chance(0.5) ? dayAfter(start.ms, rng.int(0, 200)) : null,
      tags: tagsJson(rng),
      ...stamps(),
    };
  });

  const engagements = rows(n.engagements, (id) => {
    const start = momentBetween(rng, 0, 300);
    return {
      global_id: rng.uuid(),
      name: `Engagement ${id}: ${rng.pick(['Discovery', 'Build', 'Retainer', 'Audit'])}`,
      client_org_id: refOrNull(rng, n.organizations, 0.1),
      primary_contact_id: refOrNull(rng, n.people, 0.2),
      project_id: refOrNull(rng, n.projects, 0.3),
      offer_name: looseText(rng, ['Growth sprint', 'Ops audit', 'Fractional CTO']),
      status: rng.pick(['lead', 'proposal', 'active', 'paused', 'completed', 'closed_lost']),
      start_date: dateOf(start.ms),
      end_date: orNull(rng, 0.4, dayAfter(start.ms, rng.int(10, 180))),
      value_estimate: orNull(rng, 0.2, rng.decimal(0, 250000, 2)),
      notes: looseText(rng, PROSE),
      ...stamps(),
    };
  });

  const tasks = rows(n.tasks, (id) => {
    const created = momentBetween(rng, 0, 400);
    return {
      global_id: rng.uuid(),
      title: `${rng.pick(['Draft', 'Review', 'Ship', 'Fix', 'Call'])} ${rng.pick(['proposal', 'invoice', 'onboarding flow', 'API docs', 'contract'])} (${id})`,
      description: looseText(rng, PROSE),
      project_id: refOrNull(rng, n.projects, 0.1),
      engagement_id: refOrNull(rng, n.engagements, 0.6),
      assignee_id: refOrNull(rng, n.people, 0.15),
      status: rng.pick(['todo', 'in_progress', 'blocked', 'done', 'cancelled']),
      priority: rng.pick(['low', 'medium', 'high', 'urgent']),
      due_date: orNull(rng, 0.3, dayAfter(created.ms, rng.int(1, 60))),
      estimated_hours: orNull(rng, 0.3, rng.decimal(0.25, 40, 2)),
      actual_hours: orNull(rng, 0.5, rng.decimal(0, 60, 2)),
      tags: tagsJson(rng),
      created_at: created.text,
      updated_at: momentAfter(rng, created, 24 * 30).text,
    };
  });

  const okrs = rows(n.okrs, (id) => {
    const start = momentBetween(rng, 0, 300);
    return {
      global_id: rng.uuid(),
      owner_person_id: refOrNull(rng, n.people, 0.1),
      venture_name: looseText(rng, ['Atlas Ventures', 'Côte Studio', 'Side project']),
      objective: `Objective ${id}: ${rng.pick(['grow recurring revenue', 'cut delivery time', 'launch the “Pattern 8” toolkit'])}`,
      key_results: json(
        Array.from({ length: rng.int(0, 3) }, (_, k) => ({
          kr: `KR ${k + 1}`,
          target: rng.int(10, 10000),
          current: rng.int(0, 500),
          unit: rng.pick(['EUR', '%', 'users', 'h']),
          checkpoints: [{ week: k + 1, note: rng.pick(['on track', 'at risk — see notes', 'n/a']) }],
        })),
      ),
      time_horizon_start: dateOf(start.ms),
      time_horizon_end: dayAfter(start.ms, 90),
      status: rng.pick(['draft', 'active', 'achieved', 'missed', 'archived']),
      ...stamps(),
    };
  });

  const blueprints = rows(n.blueprints, (id) => ({
    global_id: rng.uuid(),
    name: `Service blueprint ${id}`,
    description: looseText(rng, PROSE),
    customer_actions: '1. Books a call\n2. Signs the SOW\n3. Shares access',
    frontstage: looseText(rng, ['Weekly demo', 'Slack channel']),
    backstage: looseText(rng, ['Sprint planning', 'QA pass']),
    support_processes: orNull(rng, 0.3, 'Billing; CRM; "shared drive"'),
    evidence: looseText(rng, ['Signed SOW PDF', 'Demo recording']),
    version: rng.int(1, 4),
    status: rng.pick(['draft', 'active', 'deprecated']),
    tags: tagsJson(rng),
    ...stamps(),
  }));

  const workflows = rows(n.workflows, (id) => ({
    global_id: rng.uuid(),
    service_blueprint_id: refOrNull(rng, n.blueprints, 0.1),
    name: `Workflow ${id}`,
    description: looseText(rng, PROSE),
    steps: json(
      Array.from({ length: rng.int(1, 4) }, (_, k) => ({
        name: `Step ${k + 1}`,
        owner: rng.pick(['ops', 'eng', 'client']),
        est_hours: Number(rng.decimal(0.5, 8, 1)),
        substeps: k % 2 ? [] : [{ name: 'prepare', checks: ['access', 'brief'] }],
      })),
    ),
    estimated_hours: orNull(rng, 0.2, rng.decimal(1, 120, 2)),
    automation_status: rng.pick(['manual', 'partial', 'automated']),
    version: rng.int(1, 3),
    status: rng.pick(['draft', 'active', 'deprecated']),
    tags: tagsJson(rng),
    ...stamps(),
  }));

  const templates = rows(n.templates, (id) => ({
    global_id: rng.uuid(),
    workflow_id: refOrNull(rng, n.workflows, 0.1),
    name: `Template ${id}`,
    checklist: json(
      Array.from({ length: rng.int(0, 4) }, (_, k) => ({ item: `Check ${k + 1}`, required: k === 0, done: false })),
    ),
    template_type: rng.pick(['checklist', 'sop', 'runbook']),
    version: rng.int(1, 3),
    status: rng.pick(['draft', 'active', 'deprecated']),
    tags: tagsJson(rng),
    ...stamps(),
  }));

  const runs = rows(n.runs, (id, i) => {
    const status = rng.pick(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
    const started = status === 'queued' ? null : momentBetween(rng, 0, 400);
    const ended = started && status !== 'running' ? momentAfter(rng, started, 48) : null;
    // Estimated 0 and missing hours exercise the generated column's NULL branches in Postgres.
    const estimated = i % 7 === 3 ? '0.00' : orNull(rng, 0.15, rng.decimal(0.5, 40, 2));
    return {
      global_id: rng.uuid(),
      process_template_id: rng.int(1, n.templates),
      run_identifier: `RUN-2023-${String(id).padStart(5, '0')}`,
      status,
      started_at: started?.text ?? null,
      ended_at: ended?.text ?? null,
      estimated_hours: estimated,
      actual_hours: orNull(rng, 0.2, rng.decimal(0, 60, 2)),
      metadata:
        i < HARD_JSON_OBJECTS.length
          ? HARD_JSON_OBJECTS[i]
          : json({ runner: rng.pick(['n8n', 'manual', 'cron']), attempt: rng.int(1, 3) }),
      ...stamps(),
    };
  });

  const ventures = rows(n.ventures, (id) => ({
    global_id: rng.uuid(),
    name: `Venture ${id}`,
    description: looseText(rng, PROSE),
    status: rng.pick(['idea', 'active', 'paused', 'exited', 'closed']),
    owner_person_id: refOrNull(rng, n.people, 0.2),
    ...stamps(),
  }));

  const sprints = rows(n.sprints, (id) => {
    const start = momentBetween(rng, 0, 400);
    return {
      global_id: rng.uuid(),
      name: `Sprint ${id}`,
      start_date: dateOf(start.ms),
      end_date: dayAfter(start.ms, rng.int(0, 14)),
      capacity_hours: orNull(rng, 0.2, rng.decimal(10, 200, 2)),
      status: rng.pick(['planned', 'active', 'closed']),
      ...stamps(),
    };
  });

  const offers = rows(n.offers, (id) => ({
    global_id: rng.uuid(),
    service_blueprint_id: refOrNull(rng, n.blueprints, 0.2),
    name: `Offer ${id}`,
    description: looseText(rng, PROSE),
    pricing_model: rng.pick(['fixed', 'hourly', 'retainer', 'value_based']),
    status: rng.pick(['draft', 'active', 'retired']),
    ...stamps(),
  }));

  const deliverables = rows(n.deliverables, (id) => ({
    global_id: rng.uuid(),
    engagement_id: refOrNull(rng, n.engagements, 0.1),
    offer_id: refOrNull(rng, n.offers, 0.3),
    name: `Deliverable ${id}`,
    description: looseText(rng, PROSE),
    due_date: orNull(rng, 0.3, dateOf(momentBetween(rng, 0, 500).ms)),
    status: rng.pick(['planned', 'in_progress', 'delivered', 'accepted', 'rejected']),
    ...stamps(),
  }));

  return {
    tables: [
      { table: 'erp_people', rows: people },
      { table: 'erp_organizations', rows: organizations },
      { table: 'erp_projects', rows: projects },
      { table: 'erp_engagements', rows: engagements },
      { table: 'erp_tasks', rows: tasks },
      { table: 'erp_okrs', rows: okrs },
      { table: 'erp_service_blueprints', rows: blueprints },
      { table: 'erp_workflows', rows: workflows },
      { table: 'erp_process_templates', rows: templates },
      { table: 'erp_execution_runs', rows: runs },
      { table: 'erp_ventures', rows: ventures },
      { table: 'erp_sprints', rows: sprints },
      { table: 'erp_offers', rows: offers },
      { table: 'erp_deliverables', rows: deliverables },
    ],
    counts: {
      people: n.people,
      executionRuns: n.runs,
      projects: n.projects,
      engagements: n.engagements,
      tasks: n.tasks,
    },
  };
}
