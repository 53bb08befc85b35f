import { demoPrefix } from '../../fixtures/demo/demo-prefix';

/** Two users of one server run the demo into databases of their own, never each other's. */
const saved = process.env.CONVERGE_DEMO_PREFIX;
afterEach(() => {
  if (saved === undefined) delete process.env.CONVERGE_DEMO_PREFIX;
  else process.env.CONVERGE_DEMO_PREFIX = saved;
});

test('the default prefix carries the OS user, as a database name can hold it', () => {
  delete process.env.CONVERGE_DEMO_PREFIX;
  expect(demoPrefix(undefined, 'alice')).toBe('converge_demo_alice_');
  expect(demoPrefix(undefined, 'Ann-Marie.O')).toBe('converge_demo_ann_marie_o_');
  expect(demoPrefix(undefined, 'alice')).not.toBe(demoPrefix(undefined, 'bob'));
});

test('--prefix beats CONVERGE_DEMO_PREFIX beats the default; a prefix unfit for a database name is a usage error', () => {
  process.env.CONVERGE_DEMO_PREFIX = 'team_a_';
  expect(demoPrefix(undefined, 'alice')).toBe('team_a_');
  expect(demoPrefix('mine_', 'alice')).toBe('mine_');
  expect(() => demoPrefix('drop table;', 'alice')).toThrow(expect.objectContaining({ code: 'USAGE' }));
});
