import { escape } from './html.js';

/** ESR's words for a failure worth trying again. */
export const TRANSIENT_ERROR = 'An unexpected error has occurred. Please try again later.';

export interface Assignment {
  id: string;
  label: string;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} - ESR sandbox</title>
<style>
body{font-family:sans-serif;margin:2rem;max-width:60rem}
.banner{background:#005eb8;color:#fff;padding:.5rem 1rem;margin-bottom:1rem}
.alert-danger{background:#fdd;border:1px solid #c00;padding:.5rem;margin:.5rem 0}
#requestProcessedModalId{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center}
#requestProcessedModalId[hidden]{display:none}
#requestProcessedModalId div{background:#fff;padding:2rem}
table{border-collapse:collapse;margin-top:1rem}td,th{border:1px solid #999;padding:.25rem .5rem}
label{display:block;margin:.5rem 0}
</style></head><body><div class="banner">ESR sandbox: a local stand-in for the NHS Electronic Staff Record. Nothing here is real.</div>
${body}</body></html>`;
}

export function loginPage(failed: boolean): string {
  return page(
    'Log in',
    `<h1>Log in</h1>
${failed ? '<p class="login-error">Login Failed.</p>' : ''}
<form method="post" action="/dashboard/web/">
<label>Username* <input name="username" autocomplete="username"></label>
<label>Password* <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in via Username Password</button>
</form>`,
  );
}

export function loggedOutPage(): string {
  return page('Logged out', '<p>Successfully logged out</p><p><a href="/dashboard/web/">Log in again</a></p>');
}

const REASONS = ['Annual Leave', 'Bank Holiday', 'Carry Over', 'Time Off In Lieu'];

export interface DashboardView {
  assignments: Assignment[];
  selected: string;
  /** The absence list's HTML, or null when the list has a page of its own and the dashboard only links to it. */
  list: string | null;
  reloadAfterSubmit: boolean;
  /** The list above the leave form, so its links come first on the page. */
  listFirst?: boolean;
  /** How the form and its links behave under the pointer (sandbox faults formSlideMs, formShieldMs, coverSubmitOnHover, coverCreateOnHover). */
  form?: { slideMs: number; shieldMs: number; pulses: boolean; coverSubmitOnHover: boolean; driftSubmitOnHover: boolean; coverCreateOnHover: boolean };
}

export const ABSENCES_PATH = '/dashboard/web/absences';
const absencesLink = `<p><a id="absenceHistoryLink" href="${ABSENCES_PATH}">Absence history</a></p>`;

export function absencesPage(assignment: Assignment, list: string): string {
  return page(
    'Absence history',
    `<h1>Absences: ${escape(assignment.label)}</h1>
${list}
<p><a href="/dashboard/web/">Back to the dashboard</a> <a href="/dashboard/c/portal/logout">Log out</a></p>`,
  );
}

export function dashboardPage(view: DashboardView): string {
  const options = view.assignments
    .map((a) => `<option value="${escape(a.id)}"${a.id === view.selected ? ' selected' : ''}>${escape(a.label)}</option>`)
    .join('');
  const reasons = ['<option value="">Select a reason</option>', ...REASONS.map((r) => `<option value="${escape(r)}">${escape(r)}</option>`)].join('');
  return page(
    'Dashboard',
    `<h1>My ESR</h1>
<label>Assignment <select id="select-an-assignment">${options}</select></label>
${view.listFirst ? (view.list ?? absencesLink) : ''}
<p><a id="createAnnualLeave" href="#">Request annual leave</a></p>
<form id="leave-form" hidden onsubmit="return false">
<h2>Annual leave request</h2>
<div id="leave-alert"></div>
<label>Leave reason <select id="select-leave-reason-${escape(view.selected)}">${reasons}</select></label>
<label>Comments <textarea name="absenceComments"></textarea></label>
<label>Start date <input id="startDateInput" placeholder="dd/mm/yyyy"></label>
<label>End date <input id="endDateInput" placeholder="dd/mm/yyyy"></label>
<p><a id="submitAnnualLeave" href="#">Submit</a> <a href="#" id="cancelLeave">Cancel</a></p>
</form>
<div id="requestProcessedModalId" hidden><div>Your request is being processed...</div></div>
${view.listFirst ? '' : (view.list ?? absencesLink)}
<p><a href="/dashboard/c/portal/logout">Log out</a></p>
<script>window.sandboxReload = ${view.reloadAfterSubmit}; window.sandboxForm = ${JSON.stringify(view.form ?? {})};</script>
<script src="/dashboard/web/sandbox.js"></script>`,
  );
}

/** The dashboard's own script: the leave form, the processing modal, refusals. */
export const PAGE_SCRIPT = `
(() => {
  const $ = (s) => document.querySelector(s);
  const form = $('#leave-form'), create = $('#createAnnualLeave'), modal = $('#requestProcessedModalId');
  const assignment = $('#select-an-assignment');
  const alertBox = $('#leave-alert');
  const showAlert = (text) => { alertBox.innerHTML = ''; const d = document.createElement('div');
    d.className = 'alert alert-danger'; d.setAttribute('role', 'alert'); d.textContent = text; alertBox.appendChild(d); };
  const open = (yes) => { form.hidden = !yes; create.hidden = yes; if (!yes) { alertBox.innerHTML = ''; form.reset(); } else unsettle(); };
  // A form that moves or is covered for a while after it opens. Any press then is a misclick: seen by
  // the window first, before anything a driver could put in its way. A press on the layer that
  // covers Submit on hover counts only if it reaches that layer.
  const settings = window.sandboxForm || {};
  let moving = false, shielded = false;
  const misclick = () => fetch('/dashboard/api/misclick', { method: 'POST' });
  window.addEventListener('pointerdown', (e) => { if (e.isTrusted && (moving || shielded)) misclick(); }, true);
  form.addEventListener('transitionend', () => { moving = false; });
  const layer = (over, ms, done) => { const box = over.getBoundingClientRect(), d = document.createElement('div');
    d.className = 'sandbox-layer'; d.style.cssText = 'position:fixed;z-index:10;background:rgba(0,0,0,.02);left:' + (box.left - 20) + 'px;top:' + (box.top - 20) + 'px;width:' + (box.width + 40) + 'px;height:' + (box.height + 40) + 'px';
    document.body.appendChild(d); setTimeout(() => { d.remove(); done && done(); }, ms); return d; };
  const unsettle = () => {
    if (settings.slideMs > 0) {
      moving = true;
      form.style.transition = 'none'; form.style.transform = 'translateY(240px)'; form.getBoundingClientRect();
      form.style.transition = 'transform ' + settings.slideMs + 'ms linear'; form.style.transform = 'none';
    }
    if (settings.pulses) form.animate([{ backgroundColor: '#fff' }, { backgroundColor: '#eef' }], { duration: 400, iterations: Infinity });
    if (settings.shieldMs > 0) { shielded = true; layer(form, settings.shieldMs, () => { shielded = false; }); }
  };
  let createHovered = false;
  create.addEventListener('mousemove', (e) => {
    if (createHovered || !settings.coverCreateOnHover) return;
    createHovered = true;
    layer(e.currentTarget, 300).addEventListener('pointerdown', misclick);
  });
  let hovered = false;
  $('#submitAnnualLeave').addEventListener('mousemove', (e) => {
    if (hovered) return;
    hovered = true;
    if (settings.coverSubmitOnHover) layer(e.currentTarget, 300).addEventListener('pointerdown', misclick);
    if (settings.driftSubmitOnHover) {
      // A hover effect done by script, no CSS animation to see: Submit creeps right a pixel a frame for 300 ms.
      const link = e.currentTarget, until = performance.now() + 300;
      // The press that set it going cannot be helped: one that reaches Submit while it creeps is a misclick.
      let drifting = true;
      link.addEventListener('pointerdown', () => { if (drifting) misclick(); });
      const step = (now) => { link.style.left = (parseFloat(link.style.left || '0') + 1) + 'px';
        if (now < until) requestAnimationFrame(step); else drifting = false; };
      link.style.position = 'relative'; step(performance.now());
    }
  });
  assignment.addEventListener('change', () => { location.href = '/dashboard/web/?assignment=' + encodeURIComponent(assignment.value); });
  create.addEventListener('click', (e) => { e.preventDefault(); open(true); });
  $('#cancelLeave').addEventListener('click', (e) => { e.preventDefault(); open(false); });
  document.addEventListener('click', async (e) => {
    const link = e.target.closest && e.target.closest('a.row-cancel');
    if (!link) return;
    e.preventDefault();
    await fetch('/dashboard/api/absences/' + link.dataset.id + '/cancel', { method: 'POST' });
    location.reload();
  });
  let busy = false;
  $('#submitAnnualLeave').addEventListener('click', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true; alertBox.innerHTML = ''; modal.hidden = false;
    const body = { assignmentId: assignment.value, reason: form.querySelector('select').value,
      comments: form.querySelector('textarea').value, start: $('#startDateInput').value, end: $('#endDateInput').value };
    let response, data;
    try {
      response = await fetch('/dashboard/api/absences', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      data = await response.json();
    } catch (error) {
      modal.hidden = true; busy = false; showAlert(${JSON.stringify(TRANSIENT_ERROR)}); return;
    }
    modal.hidden = true; busy = false;
    if (response.status === 401) { location.href = '/dashboard/web/'; return; }
    if (!response.ok) { showAlert(data.error); return; }
    if (window.sandboxReload) { location.reload(); return; }
    open(false);
    const rows = document.querySelector('[data-absences] tbody');
    if (rows) { const a = data.absence, tr = document.createElement('tr');
      for (const text of [a.start, a.end, a.reason, a.status]) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); }
      rows.appendChild(tr); }
  });
})();
`;
