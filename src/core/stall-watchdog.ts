/**
 * Fires once when nothing marked progress for `ms` while armed: the bound on a data stream that
 * froze without an error (a network path that stops forwarding but keeps its sockets open,
 * where TCP keepalive sees a healthy peer). Timers are unref'd: a watchdog never keeps the
 * process alive on its own.
 */
export class StallWatchdog {
  private last = Date.now();
  /** Set by touch(), read by the timer: marking progress per row costs one store, not a clock read. */
  private moved = false;
  private armed = true;
  private fired = false;
  private readonly timer: NodeJS.Timeout;

  /**
   * `waitingOnPeer`, when given, says whether the stream is held up by the side this watchdog
   * guards (data waiting to be taken); time spent waiting on anything else is not a stall.
   */
  constructor(
    readonly ms: number,
    private readonly onStall: (idleMs: number) => void,
    private readonly waitingOnPeer?: () => boolean,
  ) {
    this.timer = setInterval(() => this.check(), Math.max(50, Math.min(1000, Math.floor(ms / 4))));
    this.timer.unref();
  }

  /** Data moved. */
  touch(): void {
    this.moved = true;
  }

  /** Waiting on the other side is not a stall of this stream (our consumer is slow): disarm. */
  pause(): void {
    this.armed = false;
  }

  resume(): void {
    this.armed = true;
    this.last = Date.now();
  }

  get stalled(): boolean {
    return this.fired;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    if (this.moved || (this.waitingOnPeer && !this.waitingOnPeer())) {
      this.moved = false;
      this.last = Date.now();
      return;
    }
    const idle = Date.now() - this.last;
    if (!this.armed || this.fired || idle < this.ms) return;
    this.fired = true;
    this.stop();
    this.onStall(idle);
  }
}
