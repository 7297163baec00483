/** The element type of an array type: lets codegen.ts map a GraphQL type to one item of a domain list. */
export type ItemOf<T extends readonly unknown[]> = T[number];
