/*
 * Time zones and wall-clock time, one implementation for the server and the browser (luxon's
 * zone data through Intl; nothing else): recurrences, due dates, reminders and the quick-add
 * parser all turn local times into instants here, so they agree across daylight-saving changes.
 */
export { fromWallClock, toWallClock } from './wall-clock.js';
export { addDays, daysInMonth, instantOf, wallOf, weekdayOf, type WallTime } from './wall-time.js';
export { canonicalZone, isValidTimeZone, zoneOffsetMinutes, zoneOrUtc } from './zones.js';
