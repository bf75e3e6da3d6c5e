import { Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '../auth/principal';
import { Metrics } from '../metrics/metrics.service';

export type AdminAction = 'ban' | 'unban' | 'adjust' | 'erase';

/** The audit trail of admin actions: one structured log line each (who, what, target, reason), and a counter. */
@Injectable()
export class AdminAudit {
  private readonly logger = new Logger('Audit');
  private readonly actions;

  constructor(metrics: Metrics) {
    this.actions = metrics.counter({
      name: 'admin_actions_total',
      help: 'Admin actions carried out, by action',
      labelNames: ['action'] as const,
    });
  }

  /** Called after the action committed: only what happened is audited. */
  record(principal: Principal, action: AdminAction, target: { userId: number; board?: string; points?: number }, reason?: string): void {
    this.actions.inc({ action });
    this.logger.log({ audit: true, who: actorOf(principal), action, target, reason }, `admin ${action} of user ${target.userId}`);
  }
}
