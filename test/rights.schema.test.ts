import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { buildSchema } from '../src/server/schema';

/** GraphiQL must read naturally to a county official: every name carries its Chinese term (DESIGN §5). */
describe('schema descriptions', () => {
  it('gives every type, field, enum value and input field a description with its Chinese term', () => {
    const schema = buildSchema();
    const missing: string[] = [];
    const check = (where: string, description: string | null | undefined) => {
      if (!description || !/[\u4e00-\u9fff]/.test(description)) missing.push(where);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
      check(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
      }
      if (isEnumType(type)) for (const v of type.getValues()) check(`${type.name}.${v.name}`, v.description);
    }
    expect(missing).toEqual([]);
  });
});
