import { Prng } from './generic-prng';
import { HARD_JSON_OBJECTS, HARD_JSON_SCALARS, HARD_TEXTS } from './generic-hard-values';
import { SqlRow } from './generic-insert-rows';
import { ErpCoreCounts } from './erp-core-rows';
import {
  dateOf,
  dayAfter,
  embeddingJson,
  flag,
  json,
  looseText,
  Moment,
  momentAfter,
  momentBetween,
  orNull,
  PROSE,
  refOrNull,
  scaled,
  TableRows,
} from './erp-fixture-kit';

export interface AgentRows {
  tables: TableRows[];
  /** [event id, fact id]: agent_events.promoted_fact_id, set once both rows exist (the FKs form a cycle). */
  promotions: Array<[number, number]>;
}

const MODELS = ['gpt-4o', 'claude-3-5-sonnet', 'llama-3.1-70b', null] as const;

/** Rows for the 24 agent_* tables; references into erp_* use the ids `erp` says exist. */
export function buildAgentRows(rng: Prng, scale: number, erp: ErpCoreCounts): AgentRows {
  const n = {
    recipes: scaled(scale, 4),
    profiles: scaled(scale, 4),
    tools: scaled(scale, 8),
    clients: scaled(scale, 6),
    memories: scaled(scale, 30),
    memoryFacts: scaled(scale, 20),
    states: scaled(scale, 12),
    episodes: scaled(scale, 10),
    webhooks: scaled(scale, 12),
    sessions: scaled(scale, 20),
    events: scaled(scale, 80),
    facts: scaled(scale, 20),
    goals: scaled(scale, 12),
    reflections: scaled(scale, 10),
    artifacts: scaled(scale, 8),
    nodes: scaled(scale, 16),
    edges: scaled(scale, 24),
    blocks: scaled(scale, 12),
    plans: scaled(scale, 6),
    schedulerRuns: scaled(scale, 10),
    prompts: scaled(scale, 6),
  };
  const stamps = (): { created_at: string; updated_at: string } => {
    const c = momentBetween(rng, 0, 400);
    return { created_at: c.text, updated_at: rng.chance(0.3) ? c.text : momentAfter(rng, c, 24 * 30).text };
  };
  const rows = (count: number, make: (id: number, i: number) => SqlRow): SqlRow[] =>
    Array.from({ length: count }, (_, i) => ({ id: i + 1, ...make(i + 1, i) }));
  const clientIds = Array.from({ length: n.clients }, (_, i) =>
    i === 0 ? 'acme/ñandú-01' : `client-${String(i + 1).padStart(3, '0')}`,
  );

  const recipes = rows(n.recipes, (id) => ({
    name: `recipe-${id}-${rng.pick(['recent', 'semantic', 'graph'])}`,
    description: looseText(rng, PROSE),
    retrieval_spec: json({
      sources: rng.sample(['memory', 'facts', 'episodes', 'graph'], rng.int(1, 3)),
      k: rng.int(3, 20),
      filters: { scope: 'client' },
    }),
    created_at: momentBetween(rng, 0, 30).text,
  }));

  const profiles = rows(n.profiles, (id) => ({
    global_id: rng.uuid(),
    name: `${rng.pick(['planner', 'reviewer', 'concierge', 'analyst'])}-${id}`,
    description: looseText(rng, PROSE),
    system_prompt_template: 'You are {{role}}.\nRules:\n- cite "sources"\n- never reveal {{secret_name}}\n',
    harness_config: json({
      temperature: Number(rng.decimal(0, 1, 2)),
      max_tokens: rng.int(256, 4096),
      stop: ['\n\nHuman:'],
    }),
    default_model: rng.pick(MODELS),
    default_context_recipe_id: refOrNull(rng, n.recipes, 0.2),
    is_active: flag(rng.chance(0.8)),
    ...stamps(),
  }));

  const tools = rows(n.tools, (id) => ({
    global_id: rng.uuid(),
    name: `${rng.pick(['search', 'calendar', 'email', 'crm', 'sql'])}_${id}`,
    description: looseText(rng, PROSE),
    schema_definition: json({
      type: 'object',
      properties: { query: { type: 'string', maxLength: 500 }, limit: { type: 'integer', default: 10 } },
      required: ['query'],
    }),
    is_active: flag(rng.chance(0.85)),
    ...stamps(),
  }));

  const profileTools: SqlRow[] = [];
  for (let p = 1; p <= n.profiles; p++) {
    const chosen = rng.sample(
      Array.from({ length: n.tools }, (_, i) => i + 1),
      rng.int(1, Math.min(4, n.tools)),
    );
    for (const t of chosen) profileTools.push({ profile_id: p, tool_id: t, is_enabled: flag(rng.chance(0.8)) });
  }

  const clients = rows(n.clients, (_id, i) => ({
    client_id: clientIds[i],
    name: orNull(rng, 0.15, `${rng.pick(['Acme', 'Globex', 'Zoë’s Café', 'Tanaka 株式会社'])} (${i + 1})`),
    preferences: json({
      tone: rng.pick(['formal', 'casual']),
      language: rng.pick(['en', 'pt-BR', 'ja']),
      quiet_hours: { from: '22:00', to: '07:00' },
    }),
    ...stamps(),
  }));

  const memories = rows(n.memories, () => {
    const c = momentBetween(rng, 0, 400);
    const ttl = orNull(rng, 0.5, rng.int(5, 10080));
    return {
      client_id: rng.pick(clientIds),
      content: rng.chance(0.2) ? rng.pick(HARD_TEXTS) : rng.pick(PROSE),
      memory_type: rng.pick(['observation', 'preference', 'instruction', 'summary', 'scratch']),
      embedding: rng.chance(0.35) ? embeddingJson(rng) : null,
      ttl_minutes: ttl,
      expires_at: ttl === null ? null : momentAfter(rng, c, ttl / 60).text,
      metadata: json({ source: rng.pick(['chat', 'email', 'import']) }),
      created_at: c.text,
    };
  });

  const memoryFacts = rows(n.memoryFacts, (id) => {
    const client = rng.pick(clientIds);
    return {
      client_id: client,
      fact_key: `${client}:${rng.pick(['pref', 'bio', 'project'])}:${id}`,
      fact_value: looseText(rng, ['Prefers mornings', 'Vegetarian', 'Uses Linear, not Jira']),
      category: orNull(rng, 0.2, rng.pick(['preference', 'profile', 'work'])),
      confidence_score: orNull(rng, 0.2, rng.decimal(0, 1, 3)),
      metadata: json({ extracted_by: 'llm', evidence: [rng.int(1, 99)] }),
      ...stamps(),
    };
  });

  const states = rows(n.states, (id) => ({
    client_id: rng.pick(clientIds),
    state_key: `state/${id}/${rng.pick(['cursor', 'draft', 'wizard'])}`,
    state_value:
      id <= HARD_JSON_OBJECTS.length
        ? HARD_JSON_OBJECTS[id - 1]
        : json({ step: rng.int(1, 9), data: { items: [1, 'two', null] } }),
    updated_at: momentBetween(rng, 0, 400).text,
  }));

  const sessions: SqlRow[] = [];
  const sessionStarts: Moment[] = [];
  for (let id = 1; id <= n.sessions; id++) {
    const status = rng.pick(['active', 'paused', 'completed', 'failed', 'abandoned']);
    const started = momentBetween(rng, 0, 400);
    sessionStarts.push(started);
    sessions.push({
      id,
      global_id: rng.uuid(),
      profile_id: refOrNull(rng, n.profiles, 0.15),
      session_type: rng.pick(['chat', 'planning', 'review', 'automation']),
      client_person_id: refOrNull(rng, erp.people, 0.2),
      subject_type: rng.chance(0.3) ? null : 'project',
      subject_id: rng.int(1, erp.projects),
      status,
      started_at: started.text,
      ended_at: status === 'active' ? null : momentAfter(rng, started, 6).text,
      trace_id: orNull(rng, 0.3, rng.uuid().replace(/-/g, '')),
      context_recipe_id: refOrNull(rng, n.recipes, 0.3),
      applied_harness_config: rng.chance(0.3) ? null : json({ temperature: 0.2, tools: ['search'] }),
      metadata: json({ channel: rng.pick(['slack', 'web', 'api']) }),
    });
  }
  const sessionGlobalIds = sessions.map((s) => String(s.global_id));

  const episodes = rows(n.episodes, () => ({
    client_id: rng.pick(clientIds),
    session_id: orNull(rng, 0.3, rng.pick(sessionGlobalIds)),
    summary: rng.pick(PROSE),
    embedding: rng.chance(0.5) ? embeddingJson(rng) : null,
    metadata: json({ turns: rng.int(1, 40) }),
    created_at: momentBetween(rng, 0, 400).text,
  }));

  const webhooks = rows(n.webhooks, (_id, i) => ({
    client_id: rng.pick(clientIds),
    webhook_url: `https://hooks.example.com/${rng.uuid()}?sig=a%2Fb&x=ü`,
    payload:
      i < HARD_JSON_OBJECTS.length ? HARD_JSON_OBJECTS[i] : json({ event: 'task.updated', id: rng.int(1, erp.tasks) }),
    response:
      i < HARD_JSON_SCALARS.length ? HARD_JSON_SCALARS[i] : rng.chance(0.3) ? null : json({ ok: true, status: 200 }),
    status: rng.pick(['pending', 'success', 'failed', 'timeout']),
    executed_at: momentBetween(rng, 0, 400).text,
  }));

  const events = rows(n.events, (_id, i) => {
    const s = rng.int(1, n.sessions);
    const at = momentAfter(rng, sessionStarts[s - 1], 6);
    return {
      session_id: rng.chance(0.1) ? null : s,
      occurred_at: at.text,
      event_type: rng.pick(['message', 'tool_call', 'tool_result', 'decision', 'error']),
      event_source: i % 10 === 5 ? '' : orNull(rng, 0.1, rng.pick(['user', 'agent', 'system'])),
      subject_type: orNull(rng, 0.5, 'task'),
      subject_id: orNull(rng, 0.5, rng.int(1, erp.tasks)),
      message: i < HARD_TEXTS.length ? HARD_TEXTS[i] : looseText(rng, PROSE),
      // JSON null, bare scalars and SQL NULL all appear: a loader must keep them apart.
      payload:
        i < HARD_JSON_SCALARS.length
          ? HARD_JSON_SCALARS[i]
          : rng.chance(0.2)
            ? null
            : json({ args: { q: 'status?' }, took_ms: rng.int(1, 900) }),
      memory_scope: rng.pick(['session', 'client', 'global']),
      salience_score: orNull(rng, 0.3, rng.decimal(0, 1, 3)),
      promoted_fact_id: null,
      created_at: at.text,
      updated_at: at.text,
    };
  });

  const promotions: Array<[number, number]> = [];
  const promoted = new Set<number>();
  const facts = rows(n.facts, (id) => {
    const from = momentBetween(rng, 0, 300);
    const source = refOrNull(rng, n.events, 0.3);
    if (source !== null && rng.chance(0.5) && !promoted.has(source)) {
      promoted.add(source);
      promotions.push([source, id]);
    }
    return {
      global_id: rng.uuid(),
      subject_type: rng.pick(['person', 'project', 'client']),
      subject_id: orNull(rng, 0.1, rng.int(1, erp.people)),
      fact_type: rng.pick(['preference', 'commitment', 'observation']),
      category: orNull(rng, 0.3, 'work'),
      content: rng.pick([...PROSE, ...HARD_TEXTS.filter((t) => t.trim() !== '')]),
      salience_score: orNull(rng, 0.2, rng.decimal(0, 1, 3)),
      valid_from: orNull(rng, 0.3, from.text),
      valid_to: rng.chance(0.7) ? null : momentAfter(rng, from, 24 * 90).text,
      source_event_id: source,
      source_ref: orNull(rng, 0.5, `slack://C024/${rng.int(1000, 9999)}`),
      metadata: json({ extractor: 'v2', spans: [[rng.int(0, 10), rng.int(11, 40)]] }),
      ...stamps(),
    };
  });

  const goals = rows(n.goals, (id) => {
    const start = momentBetween(rng, 0, 300);
    return {
      global_id: rng.uuid(),
      subject_type: orNull(rng, 0.2, 'person'),
      subject_id: orNull(rng, 0.2, rng.int(1, erp.people)),
      title: `Goal ${id}: ${rng.pick(['Ship v2', 'Hire a designer', 'Reach 100 clients', 'Write the “playbook”'])}`,
      description: looseText(rng, PROSE),
      success_criteria: json([{ metric: 'clients', op: '>=', value: rng.int(10, 100) }]),
      status: rng.pick(['proposed', 'active', 'achieved', 'abandoned']),
      priority: rng.int(1, 5),
      time_horizon_start: dateOf(start.ms),
      time_horizon_end: orNull(rng, 0.4, dayAfter(start.ms, rng.int(30, 365))),
      // Parents always have a lower id, so one multi-row INSERT satisfies the self-reference.
      parent_goal_id: id > 1 && rng.chance(0.5) ? rng.int(1, id - 1) : null,
      ...stamps(),
    };
  });

  const reflections = rows(n.reflections, () => ({
    session_id: refOrNull(rng, n.sessions, 0.3),
    reflection_date: dateOf(momentBetween(rng, 0, 400).ms),
    mode: rng.pick(['daily', 'weekly', 'retro', 'adhoc']),
    client_person_id: refOrNull(rng, erp.people, 0.2),
    scope: orNull(rng, 0.3, rng.pick(['personal', 'team', 'client'])),
    focal_entity_type: orNull(rng, 0.5, 'project'),
    focal_entity_id: orNull(rng, 0.5, rng.int(1, erp.projects)),
    goals: looseText(rng, PROSE),
    accomplishments: looseText(rng, PROSE),
    blockers: looseText(rng, ['None', 'Waiting on legal', '']),
    decisions: looseText(rng, PROSE),
    metrics: rng.chance(0.3)
      ? null
      : json({ focus_hours: Number(rng.decimal(0, 10, 1)), mood: rng.int(1, 5), tags: ['deep-work'] }),
    next_actions: looseText(rng, ['- [ ] send invoice\n- [x] book call']),
    raw_text: `# Reflection\n\n${rng.pick(HARD_TEXTS)}\n\n> quoted "text"\n`,
    created_at: momentBetween(rng, 0, 400).text,
  }));

  const stepEvaluations: SqlRow[] = [];
  for (let run = 1; run <= erp.executionRuns; run++) {
    const steps = rng.int(1, 3);
    for (let k = 0; k < steps; k++) {
      stepEvaluations.push({
        id: stepEvaluations.length + 1,
        execution_run_id: run,
        step_name: `Step ${k + 1}: ${rng.pick(['validate input', 'render doc', 'send'])}`,
        step_index: k,
        validator_type: rng.pick(['rule', 'llm', 'human', 'test']),
        status: rng.pick(['pass', 'fail', 'warn', 'skipped']),
        score: orNull(rng, 0.2, rng.decimal(0, 1, 4)),
        feedback: looseText(rng, ['Looks good', 'Missing signature on p. 3']),
        needs_human: flag(rng.chance(0.2)),
        created_at: momentBetween(rng, 0, 400).text,
      });
    }
  }

  const artifacts = rows(n.artifacts, (id) => ({
    global_id: rng.uuid(),
    artifact_type: rng.pick(['doc', 'sheet', 'email', 'transcript']),
    external_id: orNull(rng, 0.2, `ext-${id}-${rng.int(100, 999)}`),
    title: looseText(rng, ['Q3 plan', 'Kick-off notes', 'Invoice #42']),
    summary: looseText(rng, PROSE),
    source_system: orNull(rng, 0.2, rng.pick(['gdrive', 'notion', 'gmail', 'coda'])),
    metadata: json({ mime: 'text/markdown', bytes: rng.int(10, 99999) }),
    created_at: momentBetween(rng, 0, 400).text,
  }));

  const nodes = rows(n.nodes, (id) => {
    const type = rng.pick(['person', 'project', 'concept', 'client']);
    return {
      node_type: type,
      node_id: `${type}:${id}`,
      properties: json({ label: rng.pick(['Ada', 'Atlas', 'pricing', 'Zoë']), weight: rng.int(1, 5) }),
      ...stamps(),
    };
  });

  const edgeKeys = new Set<string>();
  const edges: SqlRow[] = [];
  for (let tries = 0; edges.length < n.edges && tries < n.edges * 20; tries++) {
    const from = rng.int(1, n.nodes);
    const to = rng.int(1, n.nodes);
    const type = rng.pick(['works_on', 'knows', 'relates_to', 'owns']);
    const key = `${from}/${to}/${type}`;
    if (edgeKeys.has(key)) continue;
    edgeKeys.add(key);
    edges.push({
      id: edges.length + 1,
      from_node_id: from,
      to_node_id: to,
      edge_type: type,
      properties: json({ since: dateOf(momentBetween(rng, 0, 400).ms) }),
      ...stamps(),
    });
  }

  const blocks = rows(n.blocks, (id) => ({
    global_id: rng.uuid(),
    block_type: rng.pick(['note', 'checklist', 'snippet']),
    title: looseText(rng, ['Daily note', 'SOP: onboarding']),
    body_md: `## Block ${id}\n\n\`\`\`sql\nSELECT 'it''s' AS x; -- comment\n\`\`\`\n\n${rng.pick(HARD_TEXTS)}`,
    source_table: orNull(rng, 0.3, 'erp.tasks'),
    source_id: orNull(rng, 0.3, rng.int(1, erp.tasks)),
    artifact_id: refOrNull(rng, n.artifacts, 0.4),
    vector_key: orNull(rng, 0.4, `vec_${rng.uuid()}`),
    graph_key: orNull(rng, 0.4, `node:${rng.int(1, n.nodes)}`),
    metadata: json({ pinned: rng.chance(0.2) }),
    ...stamps(),
  }));

  // At most one default action per block: Postgres enforces it with a partial unique index.
  const blockActions: SqlRow[] = [];
  for (let b = 1; b <= n.blocks; b++) {
    const count = rng.int(1, 3);
    const defaultAt = rng.chance(0.8) ? rng.int(0, count - 1) : -1;
    for (let k = 0; k < count; k++) {
      blockActions.push({
        id: blockActions.length + 1,
        block_id: b,
        action_type: rng.pick(['open', 'run_tool', 'summarize']),
        tool_name: orNull(rng, 0.3, 'search'),
        tool_params_template: rng.chance(0.3) ? null : json({ query: '{{block.title}}', limit: 5 }),
        is_default: flag(k === defaultAt),
        metadata: json({ order: k }),
      });
    }
  }

  const plans = rows(n.plans, (id) => ({
    plan_title: `Plan ${id}: ${rng.pick(['Week of deep work', 'Launch checklist', 'Client onboarding'])}`,
    intent: looseText(rng, PROSE),
    sop: rng.chance(0.2)
      ? null
      : json({
          steps: [
            { do: 'prepare', minutes: 30 },
            { do: 'execute', minutes: 90, notes: 'no "meetings"' },
          ],
        }),
    client_id: orNull(rng, 0.2, rng.pick(clientIds)),
    status: rng.pick(['draft', 'scheduled', 'active', 'done', 'cancelled']),
    metadata: json({ version: rng.int(1, 3) }),
    ...stamps(),
  }));

  const schedulerRuns = rows(n.schedulerRuns, () => ({
    plan_id: refOrNull(rng, n.plans, 0.1),
    schedule_blocks: json([
      { start: '09:00', end: '10:30', label: 'Focus' },
      { start: '14:00', end: '14:30', label: 'Review' },
    ]),
    client_id: orNull(rng, 0.2, rng.pick(clientIds)),
    status: rng.pick(['pending', 'running', 'completed', 'failed']),
    calendar_events: rng.chance(0.3)
      ? null
      : json([{ id: rng.uuid(), title: 'Focus — do not book', tz: 'Europe/Lisbon' }]),
    metadata: json({}),
    ...stamps(),
  }));

  const prompts = rows(n.prompts, (id) => ({
    template_name: `${rng.pick(['summarize', 'plan_day', 'extract_facts'])}_v${id}`,
    template_type: rng.pick(['system', 'user', 'tool', 'few_shot']),
    content: 'Summarize {{input}} in {{n}} bullets.\nUse {curly} braces literally; JSON: {"a": [1, 2]}\n',
    version: rng.int(1, 5),
    variables: json(['input', 'n']),
    metadata: json({ owner: 'ops', reviewed: rng.chance(0.5) }),
    ...stamps(),
  }));

  return {
    tables: [
      { table: 'agent_context_recipes', rows: recipes },
      { table: 'agent_profiles', rows: profiles },
      { table: 'agent_tools', rows: tools },
      { table: 'agent_profile_tools', rows: profileTools },
      { table: 'agent_client_profiles', rows: clients },
      { table: 'agent_memory_entries', rows: memories },
      { table: 'agent_memory_facts', rows: memoryFacts },
      { table: 'agent_working_state', rows: states },
      { table: 'agent_episodes', rows: episodes },
      { table: 'agent_webhook_executions', rows: webhooks },
      { table: 'agent_sessions', rows: sessions },
      { table: 'agent_events', rows: events },
      { table: 'agent_facts', rows: facts },
      { table: 'agent_goals', rows: goals },
      { table: 'agent_reflections', rows: reflections },
      { table: 'agent_step_evaluations', rows: stepEvaluations },
      { table: 'agent_artifacts', rows: artifacts },
      { table: 'agent_graph_nodes', rows: nodes },
      { table: 'agent_graph_edges', rows: edges },
      { table: 'agent_blocks', rows: blocks },
      { table: 'agent_block_actions', rows: blockActions },
      { table: 'agent_plans', rows: plans },
      { table: 'agent_scheduler_runs', rows: schedulerRuns },
      { table: 'agent_prompt_templates', rows: prompts },
    ],
    promotions,
  };
}
