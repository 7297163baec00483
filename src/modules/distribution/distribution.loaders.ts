import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import * as repo from './distribution.repository';
import type { Clock } from '../../shared/clock';
import { flagsOfPlans } from './distribution.service';
import { paymentFinder } from './distribution.types';
import type { Flag, Meeting, Notice, Objection, Payment, Plan, PlanEvent, PlanLine, PlanRecipient } from './distribution.types';

function grouped<T extends { planId: number }>(load: (db: Executor, ids: readonly number[]) => Promise<T[]>, db: Executor) {
  return new DataLoader<number, T[]>(async (ids) => {
    const rows = await load(db, ids);
    return ids.map((id) => rows.filter((r) => r.planId === id));
  });
}

export type LineWithRecipients = PlanLine & {
  recipients: (PlanRecipient & { attendance: repo.AttendanceRecord[]; paidOn: string | null; bankReference: string | null })[];
};

/** Batch loaders for a page of plans and their parts: a constant number of queries per page. */
export function createDistributionLoaders(db: Executor, clock: Clock) {
  // The plan's payment history, bounced ones included (with their reversal date).
  const payments = grouped<Payment>((d, ids) => repo.paymentsOf(d, ids, { includeReversed: true }), db);
  return {
    planLines: new DataLoader<number, LineWithRecipients[]>(async (ids) => {
      const [lines, recipients, pays, attendance] = await Promise.all([
        repo.linesOf(db, ids),
        repo.recipientsOf(db, ids),
        repo.paymentsOf(db, ids),
        repo.attendanceOf(db, ids),
      ]);
      // A line's payment: its own (payments per line), or an older payment covering all the household's lines.
      const paymentOf = paymentFinder(pays);
      return ids.map((id) =>
        lines
          .filter((l) => l.planId === id)
          .map((l) => ({
            ...l,
            recipients: recipients
              .filter((r) => r.lineId === l.id)
              .map((r) => {
                const p = paymentOf(r);
                return { ...r, attendance: attendance.filter((a) => a.recipientId === r.id), paidOn: p?.paidOn ?? null, bankReference: p?.bankReference ?? null };
              }),
          })),
      );
    }),
    planMeetings: grouped<Meeting>(repo.meetingsOf, db),
    planNotices: grouped<Notice>(repo.noticesOf, db),
    planObjections: grouped<Objection>(repo.objectionsOf, db),
    planPayments: payments,
    planEvents: grouped<PlanEvent>(repo.eventsOf, db),
    planReceipts: grouped<repo.PlanReceipt>(repo.planReceiptsOf, db),
    planFlags: new DataLoader<Plan, Flag[], number>((plans) => flagsOfPlans(db, clock, plans), { cacheKeyFn: (p) => p.id }),
  };
}

declare module '../../shared/context' {
  interface Loaders extends ReturnType<typeof createDistributionLoaders> {}
}
