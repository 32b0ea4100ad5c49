// GitHub's page-number pagination for list routes: `per_page` (30 by default, at most 100) and `page`, with the Link header GitHub sends when there is more than one page.

export interface Page<T> {
  items: T[];
  /** `Link` with next/last (and prev/first past page 1), or nothing for a single page. */
  headers: Record<string, string>;
}

/** One page of `items`; `path` and `query` rebuild the URLs the Link header names. */
export function paginate<T>(items: readonly T[], path: string, query: URLSearchParams): Page<T> {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page')) || 30));
  const page = Math.max(1, Math.floor(Number(query.get('page')) || 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { items: slice, headers: {} };
  return { items: slice, headers: { Link: linkHeader(path, query, page, last) } };
}

function linkHeader(path: string, query: URLSearchParams, page: number, last: number): string {
  const url = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(n));
    return `<https://api.github.com${path}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${url(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) links.push(`${url(1)}; rel="first"`);
  return links.join(', ');
}
