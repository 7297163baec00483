/**
 * 台账模板 The register template a county fills in: the detail ledger's header row, drop-down lists of the
 * Chinese labels on every coded column (资产类别, 资产子类, 确权层级, 管护资金来源), date and amount formats, a
 * 填写说明 sheet and the lists themselves on a hidden 选项 sheet (a list written inline in a validation is
 * limited to 255 characters; the sub-types alone are longer).
 */
import ExcelJS from 'exceljs';
import { COLUMNS, DETAIL_SHEET } from './registerio.columns';
import { labelsOf } from './registerio.labels';

/** Rows of the template that carry the drop-down lists and formats. */
const TEMPLATE_ROWS = 5000;

const INSTRUCTIONS = [
  '帮扶项目资产台账导入模板 填写说明',
  '1. 每行一项资产；表头请勿修改。黄色表头的列必填（表头批注注明必填/选填）。金额单位为元（表头写“（万元）”则按万元），可带千分位逗号。',
  '2. 日期写 2021-10-01、2021/10/1 或 2021年10月1日；Excel 日期格式亦可。',
  '3. 资产类别、资产子类、确权层级、管护资金来源请从下拉列表选择。',
  '4. 各资金来源金额之和须等于原值；同一项目（所属项目 + 建设年度）的资产合计即项目资金。',
  '5. 所在村可写村名或 12 位区划代码。权属主体：单一主体写名称；共有写“茶坪村 60%；金台村 40%”，份额合计须为 100%。',
  '6. 填写确权信息须同时填写权属主体、确权证号、确权日期；填写移交信息须同时填写移交日期、移交书编号、移交单位、见证单位。',
  '7. 合并单元格不会向下填充：每行都要有自己的值。公式单元格按 Excel 保存的计算结果读取。',
  '8. 导入时整表校验，任何一行有错则全部不写入，并返回带“错误”列的出错报告；改正后可直接重新导入该报告。',
  '9. 填写运营合同须同时填写经营方式、经营主体、合同编号、合同起始日期、合同终止日期（或一列“合同起止”：2021-12-01至2031-11-30）；年租金按年填写；保底收益率写 6%。经营主体须为已登记的主体或本村集体（自营）。',
  '10. “资产状态”列仅供导出查看，导入时不读取。',
];

/** ExcelJS supports validations over a range (C2:C5000) but its typings list only the per-cell one. */
const validations = (ws: ExcelJS.Worksheet) =>
  (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;

export async function registerTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Bangfu Ledger 帮扶资产台账';
  const ws = wb.addWorksheet(DETAIL_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = COLUMNS.filter((c) => !c.exportOnly && !c.importOnly);
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? 14,
    style: c.money ? { numFmt: '#,##0.00' } : c.date ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    if (c.required) header.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    header.getCell(i + 1).note = c.required ? '必填' : '选填';
  });

  const options = wb.addWorksheet('选项', { state: 'hidden' });
  const enumColumns = columns.filter((c) => c.enumName);
  enumColumns.forEach((c, i) => {
    const labels = [...labelsOf(c.enumName!).values()];
    options.getCell(1, i + 1).value = c.header;
    labels.forEach((l, j) => (options.getCell(j + 2, i + 1).value = l));
    const letter = options.getColumn(i + 1).letter;
    const col = ws.getColumn(columns.indexOf(c) + 1).letter;
    validations(ws).add(`${col}2:${col}${TEMPLATE_ROWS}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`选项!$${letter}$2:$${letter}$${labels.length + 1}`],
      showErrorMessage: true,
      errorTitle: c.header,
      error: `请从下拉列表选择${c.header}`,
    });
  });
  const help = wb.addWorksheet('填写说明');
  help.getColumn(1).width = 110;
  for (const line of INSTRUCTIONS) help.addRow([line]);
  help.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
