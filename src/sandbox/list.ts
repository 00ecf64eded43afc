import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { parse } from 'date-fns/parse';
import { fromEsrDate } from '../planning/dates.js';
import { escape } from './html.js';
import type { Faults } from './server.js';
import type { SandboxAbsence } from './store.js';

export interface ListView
  extends Pick<Faults, 'absenceList' | 'dateFormat' | 'extraColumns' | 'pageSize' | 'emptyListText' | 'rowCancelLinks'> {
  /** The assignment's absences that the list shows, in the order they were saved. */
  absences: SandboxAbsence[];
  /** From 1; a page past the end is an empty table, as a stale link would give. */
  page: number;
  /** The path this list is served at, which the "Next" link points back to. */
  path: string;
  /** ESR numbers the leave type per assignment, e.g. "Annual Leave Hours 1". */
  absenceType: string;
}

const DATE_FORMATS: Record<Exclude<Faults['dateFormat'], 'locale'>, string> = {
  'dd/mm/yyyy': 'dd/MM/yyyy',
  'd/m/yyyy': 'd/M/yyyy',
  'dd-Mon-yyyy': 'dd-MMM-yyyy',
};
const HOURS_A_DAY = 7.5;
const REFERENCE = new Date(2000, 0, 1);

const dayOf = (esr: string) => {
  const iso = fromEsrDate(esr);
  return iso ? parse(iso, 'yyyy-MM-dd', REFERENCE) : null;
};

/** A seed may hold a date that is not one ("TBC"): it is shown as given, as ESR would show its own text. */
export function listDate(esr: string, dateFormat: Exclude<Faults['dateFormat'], 'locale'>): string {
  const day = dayOf(esr);
  return day ? format(day, DATE_FORMATS[dateFormat]) : esr;
}

/** A date cell: written here, or left for the page's script to write in the browser's locale. */
function dateCell(esr: string, dateFormat: Faults['dateFormat']): string {
  const day = dayOf(esr);
  if (dateFormat !== 'locale' || !day) return `<td>${escape(listDate(esr, dateFormat === 'locale' ? 'dd/mm/yyyy' : dateFormat))}</td>`;
  return `<td data-locale-date="${format(day, 'yyyy-MM-dd')}"></td>`;
}

const WRITE_LOCALE_DATES = `<script>for (const cell of document.querySelectorAll('td[data-locale-date]')) {
  const [year, month, day] = cell.dataset.localeDate.split('-').map(Number);
  cell.textContent = new Date(year, month - 1, day).toLocaleDateString();
}</script>`;

function hours(a: SandboxAbsence): string {
  const start = dayOf(a.start);
  const end = dayOf(a.end);
  return start && end ? String((differenceInCalendarDays(end, start) + 1) * HOURS_A_DAY) : '';
}

/** By start date; rows without a readable start go last, so paging never drops them. */
function byStart(absences: SandboxAbsence[]): SandboxAbsence[] {
  const key = (a: SandboxAbsence) => fromEsrDate(a.start) ?? '\uffff';
  return [...absences].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function row(a: SandboxAbsence, view: ListView): string {
  const cell = (text: string) => `<td>${escape(text)}</td>`;
  const start = dateCell(a.start, view.dateFormat);
  const end = dateCell(a.end, view.dateFormat);
  // The reason cell's stray whitespace is deliberate: ESR's cells are not trimmed either.
  const reason = `<td>\n  ${escape(a.reason)} </td>`;
  const cancel = view.rowCancelLinks ? `<td><a href="#" class="row-cancel" data-id="${a.id}">Cancel</a></td>` : '';
  if (!view.extraColumns) return `<tr>${start}${end}${reason}${cell(a.status)}${cancel}</tr>`;
  return `<tr>${start}${end}${cell(view.absenceType)}${reason}${cell(hours(a))}${cell(a.comments)}${cell(a.status)}${cancel}</tr>`;
}

/** The absence list in its area, `<section id="absence-area">`, as the switches shape it. */
export function absenceList(view: ListView): string {
  return `<section id="absence-area">\n${listBody(view)}\n</section>`;
}

/** Where it lives, its id, columns, dates, pages, empty text. */
function listBody(view: ListView): string {
  if (view.absenceList === 'hidden') return '<p>Absence history is unavailable.</p>';
  if (view.absences.length === 0 && view.emptyListText) return '<h2>Absence history</h2>\n<p class="no-results">No results found.</p>';
  const id = view.absenceList === 'alternate' ? 'absence-list-v2' : 'absence-history';
  let shown = view.absences;
  let next = '';
  if (view.pageSize !== null) {
    const from = (view.page - 1) * view.pageSize;
    const sorted = byStart(view.absences);
    shown = sorted.slice(from, from + view.pageSize);
    if (from + view.pageSize < sorted.length) next = `\n<p><a class="next-page" href="${escape(view.path)}?page=${view.page + 1}">Next</a></p>`;
  }
  const headings = [
    ...(view.extraColumns ? ['Start', 'End', 'Absence Type', 'Reason', 'Hours', 'Comments', 'Status'] : ['Start', 'End', 'Reason', 'Status']),
    ...(view.rowCancelLinks ? [''] : []),
  ];
  return `<h2>Absence history</h2>
<table id="${id}" data-absences><thead><tr>${headings.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>${shown.map((a) => row(a, view)).join('\n')}</tbody></table>${view.dateFormat === 'locale' ? WRITE_LOCALE_DATES : ''}${next}`;
}

/** Any list switch but the default makes the page script's in-place row insert wrong, so the page reloads. */
export function listSwitched(faults: Faults): boolean {
  return (
    faults.absenceList !== 'default' ||
    faults.dateFormat !== 'dd/mm/yyyy' ||
    faults.extraColumns ||
    faults.pageSize !== null ||
    faults.absencesPage ||
    faults.emptyListText ||
    faults.hideNewAbsences ||
    faults.rowCancelLinks
  );
}
