/** The disposal chain rule (disposalChainFor) as properties: pure, so checked over many values with fast-check. */
import fc from 'fast-check';
import { DEFAULT_DISPOSAL_POLICY, disposalChainFor, DISPOSAL_METHODS, VALUE_TRANSFER_METHODS } from '../src/modules/disposal/disposal.types';
import { ASSET_CLASSES } from '../src/modules/assets/assets.types';

const policy = DEFAULT_DISPOSAL_POLICY;
const arb = fc.record({
  assetClass: fc.constantFrom(...ASSET_CLASSES),
  method: fc.constantFrom(...DISPOSAL_METHODS),
  valueFen: fc.integer({ min: 0, max: 10_000_000_000 }),
  exception: fc.boolean(),
});

describe('disposalChainFor', () => {
  it('documented tiers: < 50 000 yuan tier 1, ≤ 500 000 tier 2, above tier 3', () => {
    const at = (fen: number) => disposalChainFor(policy, { assetClass: 'PUBLIC_WELFARE', method: 'SCRAPPING', valueFen: fen, exception: false });
    expect(at(4_999_999)).toEqual({ tier: 1, county: [], template: 'DISPOSAL_TIER_1' });
    expect(at(5_000_000)).toEqual({ tier: 2, county: ['COUNTY_DEPARTMENT'], template: 'DISPOSAL_TIER_2' });
    expect(at(50_000_000)).toEqual({ tier: 2, county: ['COUNTY_DEPARTMENT'], template: 'DISPOSAL_TIER_2' });
    expect(at(50_000_001)).toEqual({ tier: 3, county: ['COUNTY_DEPARTMENT', 'COUNTY_FINANCE'], template: 'DISPOSAL_TIER_3' });
  });

  it('county finance decides exactly tier 3, any sale of an operating asset, and any price exception', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const c = disposalChainFor(policy, a);
        const sale = a.assetClass === 'OPERATING' && VALUE_TRANSFER_METHODS.includes(a.method);
        expect(c.county.includes('COUNTY_FINANCE')).toBe(c.tier === 3 || sale || a.exception);
        expect(c.county.includes('COUNTY_DEPARTMENT')).toBe(c.tier >= 2);
        // County finance always comes last.
        if (c.county.includes('COUNTY_FINANCE')) expect(c.county[c.county.length - 1]).toBe('COUNTY_FINANCE');
      }),
    );
  });

  it('is monotone: a higher value never needs fewer steps', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 10_000_000_000 }), (a, more) => {
        const low = disposalChainFor(policy, a).county;
        const high = disposalChainFor(policy, { ...a, valueFen: a.valueFen + more }).county;
        for (const s of low) expect(high).toContain(s);
      }),
    );
  });
});
