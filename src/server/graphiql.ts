import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { DEFAULT_QUERY, DemoTokens, exampleTabs } from './graphiqlExample';

/** GraphiQL's options: the project's example tabs (one per user group), with demo tokens when given. */
export function graphiqlOptions(tokens: Partial<DemoTokens> | null): GraphiQLOptions {
  const tabs = exampleTabs(tokens);
  return {
    title: 'Bangfu Ledger 帮扶资产台账',
    defaultQuery: DEFAULT_QUERY,
    headers: tabs[0].headers,
    // Passed through to GraphiQL: it opens with these tabs (unless the browser kept tabs of its own).
    defaultTabs: tabs,
  } as GraphiQLOptions;
}

const pages = new Map<string, string>();

/**
 * The page is about 9 MB (GraphiQL and its editor inlined); it is rendered once per set of options and
 * kept, not rebuilt on every visit.
 */
export function graphiqlPage(options?: GraphiQLOptions): string {
  const key = JSON.stringify(options ?? {});
  let page = pages.get(key);
  if (!page) {
    page = renderGraphiQL(options);
    pages.set(key, page);
  }
  return page;
}
