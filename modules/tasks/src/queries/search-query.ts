import { sql, type SQL } from 'drizzle-orm';
import { tasks } from '@taskstream/db';

// websearch_to_tsquery('simple', …) prints lexemes as 'word'; turning each into 'word':* makes
// every word a prefix, so "meet" finds "meeting" while quotes, OR and -negation keep working.
const lexeme = "'((?:[^']|'')+)'";
const asPrefix = "'\\1':*";

/** Returns null for input with no searchable word (only punctuation), which then matches all. */
export function searchQuery(text: string): { match: SQL; rank: SQL } | null {
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  const prefix = sql`to_tsquery('simple', regexp_replace(websearch_to_tsquery('simple', ${text})::text, ${lexeme}, ${asPrefix}, 'g'))`;
  const english = sql`websearch_to_tsquery('english', ${text})`;
  return {
    match: sql`(${tasks.search} @@ ${prefix} or ${tasks.search} @@ ${english})`,
    rank: sql`(ts_rank_cd(${tasks.search}, ${prefix}) + ts_rank_cd(${tasks.search}, ${english}))`,
  };
}
