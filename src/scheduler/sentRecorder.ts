import type { SqlQuery } from "../store/db.js";
import { markSentMany } from "../store/outbox.js";

interface Waiting {
  id: number;
  channelId: string;
  messageId: string;
  done: (ours: boolean) => void;
  failed: (error: unknown) => void;
}

/**
 * Records sends in small groups (one UPDATE per ≤ 10 ms or 50 rows, fenced by the owner token) instead of a
 * statement per message: the delivery rate is bounded by the database round trips otherwise. Each caller
 * still waits for its own row's answer: true when it was recorded, false when the lease was taken over.
 */
export class SentRecorder {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: SqlQuery,
    private readonly owner: string,
    private readonly now: () => Date,
  ) {}

  record(id: number, delivered: { channelId: string; messageId: string }): Promise<boolean> {
    return new Promise((done, failed) => {
      this.waiting.push({ id, ...delivered, done, failed });
      if (this.waiting.length >= 50) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 10);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.waiting;
    this.waiting = [];
    markSentMany(this.db, this.owner, group, this.now()).then(
      (ours) => {
        for (const w of group) w.done(ours.has(w.id));
      },
      (error: unknown) => {
        for (const w of group) w.failed(error);
      },
    );
  }
}
