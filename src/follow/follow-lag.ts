import type { Logger } from 'pino';
import type { BinlogPosition } from '../source/mysql/binlog/binlog-check';

/** How often the lag is logged (the terminal line is redrawn at most once a second). */
const LOG_EVERY_MS = 5000;
const DRAW_EVERY_MS = 1000;

/**
 * The follower's progress: transactions and row changes applied, and seconds behind the source
 * (now minus the source commit time of the last applied transaction, as a replica's
 * Seconds_Behind_Master; 0 once nothing is waiting). Logged every few seconds and, on a
 * terminal, as one redrawn line on stderr.
 */
export class FollowLag {
  private behind = 0;
  private loggedAt = 0;
  private drawnAt = 0;
  private rate = { at: Date.now(), changes: 0, perSecond: 0 };

  constructor(
    private readonly log: Logger,
    private readonly tty: boolean,
    public transactions: number,
    public changes: number,
  ) {}

  applied(transactions: number, changes: number, sourceAt: number): void {
    this.transactions += transactions;
    this.changes += changes;
    this.behind = Math.max(0, (Date.now() - sourceAt) / 1000);
    this.report(undefined);
  }

  /** Nothing is waiting: the target holds everything the source has sent. */
  idle(position: BinlogPosition): void {
    this.behind = 0;
    this.report(position);
  }

  finish(position: BinlogPosition): void {
    if (this.tty) process.stderr.write('\n');
    this.log.info(this.figures(position), 'follow stopped');
  }

  get secondsBehind(): number {
    return this.behind;
  }

  private figures(position?: BinlogPosition): Record<string, unknown> {
    return {
      transactions: this.transactions,
      changes: this.changes,
      changesPerSecond: Math.round(this.rate.perSecond),
      secondsBehind: Math.round(this.behind * 10) / 10,
      ...(position ? { position: `${position.file}:${position.position}` } : {}),
    };
  }

  private report(position: BinlogPosition | undefined): void {
    const now = Date.now();
    if (now - this.rate.at >= DRAW_EVERY_MS) {
      this.rate = {
        at: now,
        changes: this.changes,
        perSecond: ((this.changes - this.rate.changes) * 1000) / (now - this.rate.at),
      };
    }
    if (this.tty && now - this.drawnAt >= DRAW_EVERY_MS) {
      this.drawnAt = now;
      const f = this.figures(position);
      process.stderr.write(
        `\rfollowing: ${f.transactions} transactions, ${f.changes} changes (${f.changesPerSecond}/s), ${f.secondsBehind} s behind   `,
      );
    }
    if (now - this.loggedAt >= LOG_EVERY_MS) {
      this.loggedAt = now;
      this.log.info(this.figures(position), 'follow lag');
    }
  }
}
