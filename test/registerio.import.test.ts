import { setup, TestEnv, snapshot, count } from './helpers';
import { chapingRow, IMPORT_TABLES, uploadRegister, xlsxOf } from './registerio.helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

describe('registerImport: a realistic sheet', () => {
  it('imports 300 rows', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => chapingRow(i));
    const file = await xlsxOf(rows, { titleRows: ['南江县云顶镇茶坪村帮扶项目资产台账'] });
    const t0 = Date.now();
    const body = await uploadRegister(env.app, 'clerk', file);
    console.log(Date.now() - t0, JSON.stringify(body).slice(0, 3000));
  });
});
