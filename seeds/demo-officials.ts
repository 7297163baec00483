/**
 * Demo register of village officials (村干部/村务人员, issue 14), recorded by each village's clerk or the admin:
 * every demo village has its Party secretary and committee director from the 2021 election (村两委换届), taken
 * from its own households; 茶坪村 and 亮垭村 record their bookkeeper, linked to the demo clerk user; 茶坪村 keeps
 * its previous director (term ended 2021-01-14); 亮垭村 has a first secretary from the county.
 *
 * 亮垭村's committee director belongs to the household first on its public-welfare job list (paid wages in the
 * 2024 plan, 2025-02-10): the demo's RELATED_PARTY_PAYEE finding (剑阁县).
 */
import type { ServiceContext } from '../src/shared/context';
import type { Actor } from '../src/modules/auth/auth.types';
import * as householdsRepo from '../src/modules/households/households.repository';
import type { Household } from '../src/modules/households/households.types';
import { registerOfficial } from '../src/modules/officials/officials.service';
import type { OfficialRole } from '../src/modules/officials/officials.types';
import { V } from './demo-data';

async function villageHouseholds(svc: ServiceContext, villageCode: string): Promise<Household[]> {
  return (await householdsRepo.listQuery(svc.db, { regionPrefix: villageCode }).orderBy('id')).map(householdsRepo.toHousehold);
}

export async function seedOfficialsDemo(svc: ServiceContext, actors: Record<string, Actor>): Promise<void> {
  const record = (as: ServiceContext, villageCode: string, role: OfficialRole, name: string, o: Record<string, unknown> = {}) =>
    registerOfficial(as, { villageCode, role, name, termStartOn: '2021-01-15', ...o });
  for (const village of Object.values(V)) {
    const hs = await villageHouseholds(svc, village);
    // The first household's head is the Party secretary; the head of the first ordinary household the director.
    const secretary = hs[0];
    const director = hs.find((h, i) => i > 0 && h.status === 'ORDINARY')!;
    await record(svc, village, 'PARTY_SECRETARY', secretary.headName, { householdId: secretary.id, idNumber: secretary.idNumber });
    await record(svc, village, 'COMMITTEE_DIRECTOR', director.headName, { householdId: director.id, idNumber: director.idNumber });
  }
  const chaping = { ...svc, actor: actors.VILLAGE_CLERK };
  const liangya = { ...svc, actor: actors.LIANGYA_CLERK };
  const chapingHs = await villageHouseholds(svc, V.chaping);
  await record(chaping, V.chaping, 'ACCOUNTANT', '陈会计', { userId: actors.VILLAGE_CLERK.userId, householdId: chapingHs[5].id });
  await record(chaping, V.chaping, 'COMMITTEE_DIRECTOR', chapingHs[7].headName, { householdId: chapingHs[7].id, termStartOn: '2018-01-10', termEndOn: '2021-01-14' });
  await record(chaping, V.chaping, 'SUPERVISION_MEMBER', chapingHs[8].headName, { householdId: chapingHs[8].id });
  await record(liangya, V.liangya, 'ACCOUNTANT', '刘会计', { userId: actors.LIANGYA_CLERK.userId });
  await record(svc, V.liangya, 'FIRST_SECRETARY', '赵振兴', { roleNote: '剑阁县农业农村局派驻', termStartOn: '2023-09-01', termEndOn: '2025-08-31' });
}
