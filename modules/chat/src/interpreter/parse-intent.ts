import type { Intent, ListFilter, Priority } from './intent.js';
import { ordinalOf, refOf } from './task-ref.js';

type Rule = [RegExp, (m: Array<string | undefined>) => Intent | undefined];

const PRIORITY_WORDS: Record<string, Priority> = { urgent: 'urgent', high: 'high', important: 'high', medium: 'medium', normal: 'medium', low: 'low' };

/** Politeness and filler that do not change the request. */
function normalize(text: string): string {
  let s = text.trim().replace(/\s+/g, ' ').replace(/[’‘]/g, "'");
  s = s.replace(/[.!?]+$/, '').trim();
  const lead = /^(?:(?:ok(?:ay)?|hey|hi|so|and|also|now|then|please|pls|can you|could you|would you|will you|can u|i want you to|i'd like you to|i would like you to|go ahead and)[,\s]+)+/i;
  s = s.replace(lead, '');
  s = s.replace(/(?:[,\s]+(?:please|pls|thanks|thank you|for me))+$/i, '');
  return s.replace(/[.!?]+$/, '').trim();
}

const WHEN_START = /\s+(?=(?:at|on|in|by|tomorrow|today|tonight|next|this|every|\d{1,4}\s*(?:m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b|an?\s+(?:hour|day|week|minute)|half an hour|the day before|when it(?:'s| is) due|\d{1,2}(?::\d{2})?\s*(?:am|pm))\b)/i;

/** "the report at 4pm" → ["the report", "at 4pm"]. */
function splitRefAndWhen(text: string): [string, string] | undefined {
  const m = WHEN_START.exec(text);
  if (!m) return undefined;
  return [text.slice(0, m.index), text.slice(m.index).trim()];
}

function listFilter(text: string): ListFilter {
  const t = ` ${text.toLowerCase()} `;
  const filter: ListFilter = {};
  if (/\b(?:completed|done|finished|closed)\b/.test(t)) filter.status = ['completed'];
  else if (/\bin progress\b/.test(t)) filter.status = ['in_progress'];
  else if (!/\ball\b/.test(t)) filter.status = ['open', 'in_progress'];
  const priorities = [...t.matchAll(/\b(urgent|high|important|medium|normal|low)(?:\s+(?:and|or)\s+(urgent|high|medium|low))?(?:[- ]priority)?\b/g)]
    .flatMap((m) => [m[1], m[2]])
    .filter((p): p is string => p !== undefined)
    .flatMap((p) => (p === 'important' ? ['high', 'urgent'] : [PRIORITY_WORDS[p]!]));
  if (priorities.length) filter.priority = [...new Set(priorities)] as Priority[];
  const tag = /#([\p{L}\p{N}_-]+)/u.exec(t) ?? /\b(?:tagged|labell?ed)(?:\s+(?:with|as))?\s+([\p{L}\p{N}_-]+)/u.exec(t) ?? /\b(?:with|under)\s+(?:the\s+)?tag\s+([\p{L}\p{N}_-]+)/u.exec(t);
  if (tag?.[1]) filter.tag = tag[1];
  const due = /\b(today|tonight|tomorrow|this week|next week|this month)\b/.exec(t)?.[1];
  if (due) filter.due = due === 'tonight' ? 'today' : (due as ListFilter['due']);
  if (/\b(?:overdue|late|past due)\b/.test(t)) filter.overdue = true;
  const sort = /\bby\s+(priority|due(?:\s+date)?|date|title|name|newest|oldest)\b|\b(alphabetically|newest|latest|most recent|oldest)\b/.exec(t);
  const key = sort?.[1] ?? sort?.[2];
  if (key === 'priority') Object.assign(filter, { sort: 'priority', order: 'desc' });
  else if (key?.startsWith('due') || key === 'date') Object.assign(filter, { sort: 'dueAt', order: 'asc' });
  else if (key === 'title' || key === 'name' || key === 'alphabetically') Object.assign(filter, { sort: 'title', order: 'asc' });
  else if (key === 'newest' || key === 'latest' || key === 'most recent') Object.assign(filter, { sort: 'createdAt', order: 'desc' });
  else if (key === 'oldest') Object.assign(filter, { sort: 'createdAt', order: 'asc' });
  const about = /\b(?:about|containing|matching|mentioning|with the word)\s+(.+?)\s*$/.exec(text);
  if (about?.[1]) filter.search = about[1].replace(/^["']|["']$/g, '');
  return filter;
}

const LIST_VERB = '(?:list|show|display|view|see|get|give me|what are|what\'s|whats|what is|tell me)';

const RULES: Rule[] = [
  [/^(?:undo|undo (?:that|it|this|the last (?:action|change|one|thing))|revert(?: that| it| the last change)?|take (?:that|it) back|go back)$/i, () => ({ kind: 'undo' })],
  [/^(?:help|\?|what can you do|what can i say|how does this work|commands|what do you do)$/i, () => ({ kind: 'help' })],
  [/^(hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|cheers)$/i, (m) => ({ kind: 'greet', text: m[1]! })],
  [/^(?:no|nope|neither|none(?: of them)?|cancel|never ?mind|forget it|stop)$/i, () => ({ kind: 'cancel' })],
  [/^(?:both|all(?: of them)?|both of them)$/i, () => ({ kind: 'choose', choice: { all: true } })],
  [new RegExp(`^(?:${LIST_VERB}\\s+)?(?:me\\s+)?(?:all\\s+)?(?:my|the)?\\s*(?:tags|labels)(?: do i have)?$|^what tags(?: do i have)?$`, 'i'), () => ({ kind: 'tags' })],
  [/^(?:show|get|what(?:'s| is)|view)?\s*(?:me\s+)?(?:the\s+)?(?:history|activity|log|changes)\s+(?:of|for|on)\s+(.+)$/i, (m) => ({ kind: 'history', ref: refOf(m[1]!) })],
  [/^what happened (?:to|with) (.+)$/i, (m) => ({ kind: 'history', ref: refOf(m[1]!) })],
  // Reminders on an existing task, before "add" and "remind me to".
  [/^(?:remove|delete|clear|cancel|drop)\s+(?:all\s+)?(?:the\s+)?reminders?\s+(?:from|for|on|of)\s+(.+)$/i, (m) => ({ kind: 'clear-reminders', ref: refOf(m[1]!) })],
  [/^remind me\s+(.+?\s+before)\s+(.+)$/i, (m) => ({ kind: 'remind', ref: refOf(m[2]!), when: m[1]! })],
  [/^(?:remind me (?:about|of)|set (?:a |an )?(?:reminder|alert) (?:for|on)|add (?:a |an )?(?:reminder|alert) (?:to|for|on))\s+(.+)$/i, (m) => remindIntent(m[1]!)],
  [/^remind me to\s+(.+)$/i, (m) => ({ kind: 'add', text: m[1]!, remind: true })],
  // Recurrence.
  [/^(?:stop|don't|do not|no longer)\s+(?:repeating|recurring|repeat)\s+(.+)$/i, (m) => ({ kind: 'repeat', ref: refOf(m[1]!), rule: null })],
  [/^make\s+(.+?)\s+(?:not repeat|not recurring|non-?recurring|a one-?off|one-?off)$/i, (m) => ({ kind: 'repeat', ref: refOf(m[1]!), rule: null })],
  [/^(?:make|set)\s+(.+?)\s+(?:to\s+)?(?:repeat|recur)\s+(.+)$/i, (m) => ({ kind: 'repeat', ref: refOf(m[1]!), rule: m[2]! })],
  [/^(.+?)\s+should\s+(?:repeat|recur)\s+(.+)$/i, (m) => ({ kind: 'repeat', ref: refOf(m[1]!), rule: m[2]! })],
  [/^repeat\s+(.+?)\s+((?:every|each)\b.+|daily|weekly|monthly|yearly|annually|on weekdays|weekdays)$/i, (m) => ({ kind: 'repeat', ref: refOf(m[1]!), rule: m[2]! })],
  // Tags and priority on an existing task.
  [/^(?:tag|label)\s+(.+?)\s+(?:with|as)\s+(.+)$/i, (m) => ({ kind: 'tag', ref: refOf(m[1]!), tags: tagList(m[2]!) })],
  [/^add (?:the )?(?:tags?|labels?)\s+(.+?)\s+to\s+(.+)$/i, (m) => ({ kind: 'tag', ref: refOf(m[2]!), tags: tagList(m[1]!) })],
  [/^(?:set|change)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+to\s+(urgent|high|medium|normal|low)$/i, (m) => priorityIntent(m[1]!, m[2]!)],
  [/^(?:set|change|make|mark|put)\s+(.+?)\s+(?:to|as|at)?\s*(?:an?\s+)?(urgent|high|medium|normal|low)(?:[- ]priority)?$/i, (m) => priorityIntent(m[1]!, m[2]!)],
  [/^(?:prioriti[sz]e|bump up)\s+(.+)$/i, (m) => priorityIntent(m[1]!, 'high')],
  [/^(?:de-?prioriti[sz]e)\s+(.+)$/i, (m) => priorityIntent(m[1]!, 'low')],
  // Renaming and rescheduling.
  [/^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i, (m) => ({ kind: 'rename', ref: refOf(m[1]!), title: unquote(m[2]!) })],
  [/^change\s+(?:the\s+)?(?:title|name)\s+(?:of\s+)?(.+?)\s+to\s+(.+)$/i, (m) => ({ kind: 'rename', ref: refOf(m[1]!), title: unquote(m[2]!) })],
  [/^(?:postpone|push(?: back)?|delay|defer|snooze)\s+(.+?)\s+by\s+(.+)$/i, (m) => ({ kind: 'postpone', ref: refOf(m[1]!), by: m[2]! })],
  [/^(?:reschedule|move|postpone|push(?: back)?|delay|defer|shift)\s+(.+?)\s+(?:to|until|till|for|on)\s+(.+)$/i, (m) => ({ kind: 'reschedule', ref: refOf(m[1]!), when: m[2]! })],
  [/^(?:set|change|update|move)\s+(?:the\s+)?(?:due(?: date)?|deadline)\s+(?:of|for|on)\s+(.+?)\s+to\s+(.+)$/i, (m) => ({ kind: 'reschedule', ref: refOf(m[1]!), when: m[2]! })],
  [/^(?:postpone|push(?: back)?|delay|defer|snooze)\s+(.+)$/i, (m) => ({ kind: 'postpone', ref: refOf(m[1]!), by: '1 day' })],
  [/^(?!what\b|when\b|is\b|are\b)(.+?)\s+(?:is|should be)\s+(?:now\s+)?due\s+(.+)$/i, (m) => ({ kind: 'reschedule', ref: refOf(m[1]!), when: m[2]! })],
  // Reopen before complete: "mark X as not done".
  [/^(?:reopen|re-open|uncomplete|un-complete|unfinish|undo complet(?:e|ing|ion of))\s+(.+)$/i, (m) => ({ kind: 'reopen', ref: refOf(m[1]!) })],
  [/^mark\s+(.+?)\s+as\s+(?:not done|not complete[d]?|not finished|open|incomplete|undone|to ?do)$/i, (m) => ({ kind: 'reopen', ref: refOf(m[1]!) })],
  [/^(.+?)\s+(?:is|isn't|is not)\s+(?:not\s+)?(?:done|finished)\s+yet$|^(.+?)\s+(?:isn't|is not)\s+(?:done|finished)$/i, (m) => ({ kind: 'reopen', ref: refOf((m[1] ?? m[2])!) })],
  [/^(?:complete|finish|close|check off|tick off|cross off|done|mark)\s+(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i, (m) => ({ kind: 'complete', ref: refOf(m[1]!) })],
  [/^(?:i(?:'ve| have)?\s+)(?:done|finished|completed|did)\s+(?:with\s+)?(.+)$/i, (m) => ({ kind: 'complete', ref: refOf(m[1]!) })],
  [/^(?:done|finished) with\s+(.+)$/i, (m) => ({ kind: 'complete', ref: refOf(m[1]!) })],
  [/^(.+?)\s+(?:is|are)\s+(?:done|finished|complete|completed)$/i, (m) => ({ kind: 'complete', ref: refOf(m[1]!) })],
  [/^(?:delete|remove|cancel|drop|trash|erase|get rid of|scrap|discard)\s+(.+)$/i, (m) => ({ kind: 'delete', ref: refOf(m[1]!) })],
  // Adding.
  [/^(?:add|create|new|make|put|jot down|note)(?:\s+(?:a|an))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|entry))?(?:\s*:\s*|\s+)(.+)$/i, (m) => addIntent(m[1]!)],
  [/^(?:task|todo|to-do|new task)\s*:\s*(.+)$/i, (m) => addIntent(m[1]!)],
  [/^(?:i need to|i have to|i've got to|i gotta|i must|i should|don't let me forget to|dont let me forget to|don't forget to|dont forget to|remember to)\s+(.+)$/i, (m) => addIntent(m[1]!)],
  // Questions about what is due.
  [/^(?:what(?:'s| is| are)?|whats|anything|is there anything|do i have anything)\s+(?:(?:my|the)\s+)?(?:tasks?\s+)?(?:due|on|on my (?:list|plate)|left)(?:\s+(.+))?$/i, (m) => ({ kind: 'list', filter: { ...listFilter(m[1] ?? ''), sort: 'dueAt', order: 'asc' } })],
  [/^what(?:'s| is)\s+(overdue|late)$/i, () => ({ kind: 'list', filter: { status: ['open', 'in_progress'], overdue: true } })],
  [/^what do i (?:have|need) to do(?:\s+(.+))?$|^what(?:'s| is) on (?:for )?(today|tomorrow|this week|next week)$/i, (m) => ({ kind: 'list', filter: listFilter(m[1] ?? m[2] ?? '') })],
  // Search and listing.
  [/^(?:search|find|look up|look for|lookup|where is|where's)(?:\s+for)?(?:\s+(?:my\s+)?(?:tasks?|todos?)(?:\s+(?:about|with|containing|matching|called|named|for))?)?\s+(.+)$/i, (m) => ({ kind: 'list', filter: { search: refText(m[1]!) } })],
  [new RegExp(`^${LIST_VERB}\\s+(?:me\\s+)?(.*?)\\b(?:tasks?|todos?|to-dos?|items|list|things to do)\\b(.*)$`, 'i'), (m) => ({ kind: 'list', filter: listFilter(`${m[1] ?? ''} ${m[2] ?? ''}`) })],
  [/^(?:my\s+)?(.*?)\b(?:tasks|todos|to-dos)\b(.*)$/i, (m) => ({ kind: 'list', filter: listFilter(`${m[1] ?? ''} ${m[2] ?? ''}`) })],
  [/^(?:show|open|view|display)(?:\s+me)?\s+(?:the\s+)?(?:details\s+(?:of|for)\s+)?(.+)$/i, (m) => ({ kind: 'list', filter: { search: refText(m[1]!) } })],
];

function refText(text: string): string {
  const ref = refOf(text);
  return 'text' in ref ? ref.text : text;
}

function unquote(text: string): string {
  return text.trim().replace(/^["'“‘](.*)["'”’]$/u, '$1');
}

function tagList(text: string): string[] {
  return text.split(/\s*(?:,|\band\b|\s)\s*/).map((t) => t.replace(/^#/, '').trim()).filter((t) => t && !/^(?:the|tags?)$/i.test(t));
}

function priorityIntent(ref: string, word: string): Intent {
  return { kind: 'priority', ref: refOf(ref), priority: PRIORITY_WORDS[word.toLowerCase()] ?? 'medium' };
}

function remindIntent(text: string): Intent | undefined {
  const split = splitRefAndWhen(text);
  if (!split) return { kind: 'remind', ref: refOf(text), when: '' };
  return { kind: 'remind', ref: refOf(split[0]), when: split[1] };
}

function addIntent(text: string): Intent {
  const t = text.replace(/\s+to\s+(?:my\s+|the\s+)?(?:list|tasks|todos?|todo list|to-do list|task list)$/i, '').replace(/^to\s+/i, '');
  return { kind: 'add', text: t };
}

/**
 * The intent of one English message. `pending` says a question is open, so a bare
 * "2" or a title answers it instead of starting something new.
 */
export function parseIntent(message: string, pending = false): Intent {
  const s = normalize(message);
  if (s === '') return { kind: 'unknown' };
  if (pending) {
    const ordinal = ordinalOf(s);
    if (ordinal !== undefined) return { kind: 'choose', choice: { ordinal } };
  }
  for (const [pattern, build] of RULES) {
    const m = pattern.exec(s);
    if (!m) continue;
    const intent = build([...m]);
    if (intent) return intent;
  }
  return pending ? { kind: 'choose', choice: { text: s } } : { kind: 'unknown' };
}
