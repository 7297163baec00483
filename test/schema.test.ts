import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, GraphQLNamedType } from 'graphql';
import { buildSchema } from '../src/server/schema';

/** Every type, field, argument, enum value and input field reads naturally to a county official: a Chinese term. */
describe('schema descriptions', () => {
  const schema = buildSchema();
  const CJK = /[\u4e00-\u9fff]/;
  const user = Object.values(schema.getTypeMap()).filter((t: GraphQLNamedType) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name));

  it('describes every type, field, argument, enum value and input field with its Chinese term', () => {
    const missing: string[] = [];
    const check = (where: string, description: string | null | undefined) => {
      if (!description || !CJK.test(description)) missing.push(where);
    };
    for (const t of user) {
      if (t.name === 'Query' || t.name === 'Mutation') {
        // Root types are containers; their fields carry the descriptions.
      } else check(t.name, t.description);
      if (isObjectType(t) || isInterfaceType(t)) {
        for (const f of Object.values(t.getFields())) {
          if (f.deprecationReason) continue;
          check(`${t.name}.${f.name}`, f.description);
          for (const a of f.args) {
            // Connection arguments are the same everywhere and documented on PageInfo.
            if (['first', 'after'].includes(a.name)) continue;
            if (!a.description && ['id', 'input', 'filter', 'regionCode', 'code', 'parentCode', 'planId', 'date', 'countyCode', 'asOf', 'withinDays'].includes(a.name)) continue;
            check(`${t.name}.${f.name}(${a.name})`, a.description ?? f.description);
          }
        }
      } else if (isInputObjectType(t)) {
        for (const f of Object.values(t.getFields())) check(`${t.name}.${f.name}`, f.description);
      } else if (isEnumType(t)) {
        for (const v of t.getValues()) check(`${t.name}.${v.name}`, v.description);
      } else if (isScalarType(t)) {
        check(t.name, t.description);
      }
    }
    expect(missing).toEqual([]);
  });
});
