/** Pure helpers of the journal: largest-remainder allocation and the canonical form of an entry. No database. */
import fc from 'fast-check';
import { allocate, allocateBy, AllocationError } from '../src/modules/journal/allocation';
import { canonicalEntry, canonicalEntryObject, canonicalJson, chainHash, entryHash, GENESIS_HASH, requestFingerprint } from '../src/modules/journal/journal.hash';
import { MAX_FEN } from '../src/shared/money';

describe('allocate (largest remainder)', () => {
  it('splits exactly to the fen, remainders to the largest fractions', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(1000, [5000, 3000, 2000])).toEqual([500, 300, 200]);
    // 10.00 yuan by 1/3, 1/3, 1/3 of basis points: 333.33.. each, the 1 fen left goes to the first.
    expect(allocate(1000, [3334, 3333, 3333])).toEqual([334, 333, 333]);
    // Remainders 0.6, 0.3, 0.1 of a fen: the single fen left goes to the largest remainder, not the first.
    expect(allocate(7, [2, 3, 5])).toEqual([1, 2, 4]);
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
    expect(allocate(5, [0, 1])).toEqual([0, 5]);
  });

  it('breaks ties by position, deterministically', () => {
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(1, [1, 1, 1, 1])).toEqual([1, 0, 0, 0]);
  });

  it('mirrors negative totals', () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('stays exact where amount × weight passes 2^53', () => {
    const parts = allocate(MAX_FEN, [3333, 3333, 3334]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(MAX_FEN);
    expect(parts.every(Number.isSafeInteger)).toBe(true);
  });

  it('refuses weights it cannot split by', () => {
    expect(() => allocate(100, [])).toThrow(AllocationError);
    expect(() => allocate(100, [0, 0])).toThrow(AllocationError);
    expect(() => allocate(100, [1, -1])).toThrow(AllocationError);
    expect(() => allocate(100, [1.5])).toThrow(AllocationError);
    expect(() => allocate(0.5, [1])).toThrow(AllocationError);
  });

  it('keeps items with their amounts', () => {
    const owners = [
      { partyId: 7, shareBp: 6000 },
      { partyId: 9, shareBp: 4000 },
    ];
    expect(allocateBy(12345, owners, (o) => o.shareBp)).toEqual([
      { item: owners[0], amountFen: 7407 },
      { item: owners[1], amountFen: 4938 },
    ]);
  });

  it('property: sums exactly, each part is the floor or ceiling of its quota, and is reproducible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_FEN }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
          const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
          parts.forEach((p, i) => {
            const floor = (BigInt(total) * BigInt(weights[i])) / sum;
            expect(BigInt(p) === floor || BigInt(p) === floor + 1n).toBe(true);
            if (weights[i] === 0) expect(p).toBe(0);
          });
          expect(allocate(total, weights)).toEqual(parts);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('canonical form and hash', () => {
  const entry = {
    sequence: 1,
    kind: 'INCOME' as const,
    effectiveOn: '2025-03-31',
    memo: '茶叶加工厂房 一季度租金 "Q1"',
    sourceType: 'ASSET' as const,
    sourceId: 3,
    assetId: 3,
    reversesEntryId: null,
    idempotencyKey: 'k-1',
    requestFingerprint: 'a'.repeat(64),
    actorUserId: 5,
    recordedAt: '2026-11-22T02:00:00.000Z',
  };
  const postings = [
    { accountId: 2, holderPartyId: 1, accountKind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: 1500000 },
    { accountId: 1, holderPartyId: 9, accountKind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -1500000 },
  ];

  it('sorts keys and postings and leaves no whitespace', () => {
    expect(canonicalEntry(entry, postings)).toBe(
      '{"actorId":5,"assetId":3,"effectiveOn":"2025-03-31","idempotencyKey":"k-1","kind":"INCOME",' +
        '"memo":"茶叶加工厂房 一季度租金 \\"Q1\\"","postings":[{"account":1,"accountKind":"EXTERNAL_COUNTERPARTY","amountFen":-1500000,"holder":9},' +
        '{"account":2,"accountKind":"INCOME_PENDING_DISTRIBUTION","amountFen":1500000,"holder":1}],"recordedAt":"2026-11-22T02:00:00.000Z",' +
        `"requestFingerprint":"${'a'.repeat(64)}","reversesEntryId":null,"sequence":1,"source":{"id":3,"type":"ASSET"},"v":1}`,
    );
  });

  it('property: the hand-written canonical form equals the generic canonical JSON', () => {
    const textArb = fc.string({ unit: fc.oneof(fc.constantFrom('租', '金', '"', '\\', '\n', '\u2028', '\ud83d\ude00'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
    fc.assert(
      fc.property(
        fc.record({
          sequence: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          kind: fc.constantFrom('INCOME', 'REVERSAL', 'TRANSFER'),
          effectiveOn: fc.constantFrom('2025-01-01', '2024-02-29'),
          memo: textArb,
          sourceType: fc.constantFrom(null, 'ASSET', 'CONTRACT'),
          sourceId: fc.integer({ min: 1, max: 1e9 }),
          assetId: fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: null }),
          reversesEntryId: fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: null }),
          idempotencyKey: textArb,
          requestFingerprint: fc.constant('c'.repeat(64)),
          actorUserId: fc.integer({ min: 1, max: 1e6 }),
          recordedAt: fc.constant('2026-11-22T02:00:00.000Z'),
        }),
        fc.array(
          fc.record({
            accountId: fc.integer({ min: 1, max: 1e6 }),
            holderPartyId: fc.integer({ min: 1, max: 1e6 }),
            accountKind: fc.constantFrom('CASH', 'EXTERNAL_COUNTERPARTY'),
            amountFen: fc.integer({ min: -MAX_FEN, max: MAX_FEN }),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        (e, ps) => {
          const fields = { ...e, sourceId: e.sourceType === null ? null : e.sourceId } as any;
          expect(canonicalEntry(fields, ps as any)).toBe(canonicalJson(canonicalEntryObject(fields, ps as any)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order postings come in', () => {
    expect(entryHash(GENESIS_HASH, entry, postings)).toBe(entryHash(GENESIS_HASH, entry, [...postings].reverse()));
  });

  it('is SHA-256 of the previous hash, a line feed and the canonical entry (pinned)', () => {
    const h = chainHash(GENESIS_HASH, canonicalEntry(entry, postings));
    // Pinned (computed independently with `printf '%s\n%s' <64 zeros> <canonical> | sha256sum`): if this
    // changes, every stored hash stops verifying.
    expect(h).toBe('8b59e771ffe58e883e49100582d971102ea67fb9944902a7b45012b191324d66');
    expect(entryHash(h, entry, postings)).not.toBe(h);
  });

  it('changes with every field', () => {
    const base = entryHash(GENESIS_HASH, entry, postings);
    const variants: Partial<typeof entry>[] = [
      { sequence: 2 },
      { kind: 'TRANSFER' as any },
      { effectiveOn: '2025-04-01' },
      { memo: 'x' },
      { sourceId: 4 },
      { assetId: null as any },
      { reversesEntryId: 1 as any },
      { idempotencyKey: 'k-2' },
      { requestFingerprint: 'b'.repeat(64) },
      { actorUserId: 6 },
      { recordedAt: '2026-11-22T02:00:00.001Z' },
    ];
    for (const v of variants) expect(entryHash(GENESIS_HASH, { ...entry, ...v }, postings)).not.toBe(base);
    expect(entryHash(GENESIS_HASH, entry, [{ ...postings[0], holderPartyId: 2 }, postings[1]])).not.toBe(base);
  });

  it('refuses values that would not round-trip', () => {
    expect(() => canonicalJson(1.5)).toThrow();
    expect(() => canonicalJson(2 ** 53)).toThrow();
    expect(() => canonicalJson({ a: undefined } as any)).toThrow();
  });

  it('fingerprints requests by operation, actor and input', () => {
    const a = requestFingerprint('incomeRecord', 1, { amountFen: 100, memo: 'x' });
    expect(requestFingerprint('incomeRecord', 1, { memo: 'x', amountFen: 100 })).toBe(a);
    expect(requestFingerprint('incomeRecord', 2, { amountFen: 100, memo: 'x' })).not.toBe(a);
    expect(requestFingerprint('journalEntryReverse', 1, { amountFen: 100, memo: 'x' })).not.toBe(a);
  });
});
