/**
 * Building blocks of approval chains (pure). A module that opens a chain lists its steps with these; the
 * county policy decides which (e.g. a disposal's value tier adds county steps).
 */
import { countyCodeOf, townshipCodeOf } from '../regions/regions.codes';
import type { StepSpec } from './approvals.types';

/** Each village's own resolution (四议两公开), in code order so that a chain is deterministic. */
export function villageResolutions(villageCodes: readonly string[]): StepSpec[] {
  return [...new Set(villageCodes)].sort().map((regionCode) => ({ kind: 'VILLAGE_RESOLUTION', regionCode }));
}

/**
 * The body above a set of villages: their township when they all lie in one, otherwise the county
 * (a decision that crosses townships is the county's).
 */
export function supervisingStep(villageCodes: readonly string[], countyKind: 'COUNTY_FINANCE' | 'COUNTY_DEPARTMENT'): StepSpec {
  const townships = new Set(villageCodes.map(townshipCodeOf));
  if (townships.size === 1) return { kind: 'TOWNSHIP', regionCode: [...townships][0] };
  return { kind: countyKind, regionCode: countyCodeOf(villageCodes[0]) };
}

export function townshipStep(villageCode: string): StepSpec {
  return { kind: 'TOWNSHIP', regionCode: townshipCodeOf(villageCode) };
}

export function countyStep(villageCode: string, kind: 'COUNTY_FINANCE' | 'COUNTY_DEPARTMENT'): StepSpec {
  return { kind, regionCode: countyCodeOf(villageCode) };
}
