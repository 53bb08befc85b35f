import { AST_RULES, AstContext, AstRule, typesCreatedBy, walkAst } from './ast-rules';
import { RawStmt } from './parse-postgres';
import { SourcePositions } from './source-positions';
import { scanTokens } from './sql-tokens';

/** Records a finding at a JS index of the file. */
export type Report = (index: number, rule: string, message: string) => void;

/** Where a parse tree came from: the text parsed from JS index `base` on. */
export interface TreeSource {
  text: string;
  base: number;
  positions: SourcePositions;
}

const RULES_BY_KIND = new Map<string, AstRule[]>();
for (const r of AST_RULES) RULES_BY_KIND.set(r.kind, [...(RULES_BY_KIND.get(r.kind) ?? []), r]);

/** Runs the AST rules over parsed statements, in order, so types the file creates are known. */
export function lintTree(stmts: RawStmt[], source: TreeSource, ctx: AstContext, report: Report): void {
  const { text, base, positions } = source;
  for (const s of stmts) {
    for (const name of typesCreatedBy(s.stmt)) ctx.localTypes.add(name);
    walkAst(s.stmt, (kind, node) => {
      for (const rule of RULES_BY_KIND.get(kind) ?? []) {
        const hit = rule.check(node, ctx);
        if (!hit) continue;
        const index =
          hit.location !== undefined
            ? positions.indexOfByte(hit.location, base)
            : firstTokenFrom(text, positions.indexOfByte(s.stmt_location ?? 0, base));
        report(index, rule.rule, hit.message);
      }
    });
  }
}

/** A statement's location includes the whitespace and comments before it. */
function firstTokenFrom(text: string, index: number): number {
  return scanTokens(text, index, text.length, 1)[0]?.start ?? index;
}
