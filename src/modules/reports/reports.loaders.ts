import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { statusesOn } from '../assets/assets.repository';
import type { AssetStatus } from '../assets/assets.types';
import { depreciationRulesFor } from '../policy/policy.service';
import type { DepreciationRule } from '../policy/policy.depreciation';

/** Batch loaders of the reports module: a page of assets as of a date costs one status query per date. */
export function createReportsLoaders(db: Executor) {
  return {
    /** Key: `${assetId}|${date}`. */
    assetStatusOn: new DataLoader<string, AssetStatus>(async (keys) => {
      const byDate = new Map<string, number[]>();
      for (const k of keys) {
        const [id, date] = k.split('|');
        if (!byDate.has(date)) byDate.set(date, []);
        byDate.get(date)!.push(Number(id));
      }
      const found = new Map<string, AssetStatus>();
      for (const [date, ids] of byDate) {
        for (const [id, status] of await statusesOn(db, ids, date)) found.set(`${id}|${date}`, status);
      }
      return keys.map((k) => found.get(k) ?? 'REGISTERED');
    }),
    /** Key: the county's 6-digit prefix. */
    depreciationRules: new DataLoader<string, DepreciationRule[]>(async (counties) =>
      Promise.all(counties.map((c) => depreciationRulesFor(db, c.padEnd(12, '0')))),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createReportsLoaders> {}
}
