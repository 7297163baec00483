/**
 * Demo county data. Place names follow the source documents (南江县云顶镇 with 8 villages/communities;
 * 剑阁县普安镇亮垭村 with its red-heart kiwi park). The 9- and 12-digit codes below county level and the
 * village names of 云顶镇 are illustrative, not the official division codes; amounts are plausible and
 * add up (the 8-village pool is about 12 million yuan, as reported).
 */
import type { RegionLevel } from '../src/modules/regions/regions.codes';

export const REGIONS: { code: string; name: string; level: RegionLevel }[] = [
  { code: '510000000000', name: '四川省', level: 'PROVINCE' },
  { code: '511900000000', name: '巴中市', level: 'CITY' },
  { code: '511922000000', name: '南江县', level: 'COUNTY' },
  { code: '511922105000', name: '云顶镇', level: 'TOWNSHIP' },
  { code: '511922105001', name: '云顶社区', level: 'VILLAGE' },
  { code: '511922105002', name: '金台村', level: 'VILLAGE' },
  { code: '511922105003', name: '石桥村', level: 'VILLAGE' },
  { code: '511922105004', name: '桃园村', level: 'VILLAGE' },
  { code: '511922105005', name: '茶坪村', level: 'VILLAGE' },
  { code: '511922105006', name: '青岗村', level: 'VILLAGE' },
  { code: '511922105007', name: '松林村', level: 'VILLAGE' },
  { code: '511922105008', name: '柏杨社区', level: 'VILLAGE' },
  { code: '511922102000', name: '长赤镇', level: 'TOWNSHIP' },
  { code: '511922102001', name: '红岩村', level: 'VILLAGE' },
  { code: '510800000000', name: '广元市', level: 'CITY' },
  { code: '510823000000', name: '剑阁县', level: 'COUNTY' },
  { code: '510823100000', name: '普安镇', level: 'TOWNSHIP' },
  { code: '510823100201', name: '亮垭村', level: 'VILLAGE' },
];

export const YUNDING = '511922105000';
export const V = {
  yundingCommunity: '511922105001',
  jintai: '511922105002',
  shiqiao: '511922105003',
  taoyuan: '511922105004',
  chaping: '511922105005',
  qinggang: '511922105006',
  songlin: '511922105007',
  baiyang: '511922105008',
  hongyan: '511922102001',
  liangya: '510823100201',
};

/**
 * Demo API tokens, one per role (documented in README). They exist only in the demo database; a real
 * deployment creates its users with fresh random tokens.
 */
export const DEMO_USERS = [
  { key: 'ADMIN', name: '省级管理员', role: 'ADMIN', regionCode: '510000000000', token: 'demo-admin-sichuan' },
  { key: 'COUNTY_FINANCE', name: '南江县财政局 王审计', role: 'COUNTY_FINANCE', regionCode: '511922000000', token: 'demo-finance-nanjiang' },
  { key: 'COUNTY_PLANNER', name: '南江县乡村振兴局 李规划', role: 'COUNTY_PLANNER', regionCode: '511922000000', token: 'demo-planner-nanjiang' },
  { key: 'TOWNSHIP_REVIEWER', name: '云顶镇财政所 张审核', role: 'TOWNSHIP_REVIEWER', regionCode: YUNDING, token: 'demo-reviewer-yunding' },
  { key: 'VILLAGE_CLERK', name: '茶坪村报账员 陈会计', role: 'VILLAGE_CLERK', regionCode: V.chaping, token: 'demo-clerk-chaping' },
  { key: 'JIANGE_FINANCE', name: '剑阁县财政局 赵审计', role: 'COUNTY_FINANCE', regionCode: '510823000000', token: 'demo-finance-jiange' },
  { key: 'LIANGYA_CLERK', name: '亮垭村报账员 刘会计', role: 'VILLAGE_CLERK', regionCode: V.liangya, token: 'demo-clerk-liangya' },
  { key: 'PUAN_REVIEWER', name: '普安镇财政所 周审核', role: 'TOWNSHIP_REVIEWER', regionCode: '510823100000', token: 'demo-reviewer-puan' },
] as const;

export const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文';
export const GIVEN = ['建国', '秀英', '志强', '桂兰', '德明', '玉华', '国平', '淑珍', '永康', '春梅', '大勇', '红霞', '明亮', '凤英', '有才', '兰芳', '长青', '金花', '家富', '小芳'];
