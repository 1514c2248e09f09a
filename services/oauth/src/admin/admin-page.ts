import type { ConnectionCalendar } from '@gcal-sync/shared';
import type { ConnectionWithCalendars } from '../connections/connection-views';
import { html, page } from './html';

const writable = (c: ConnectionCalendar) => c.accessRole === 'writer' || c.accessRole === 'owner';

function calendarRow(connectionId: string, c: ConnectionCalendar, disabled: boolean) {
  const id = `${connectionId}:${c.calendarId}`;
  return html`<tr data-calendar-id="${c.calendarId}">
  <td><input type="checkbox" name="selected" value="${c.calendarId}" id="sel-${id}" aria-label="Sync ${c.summary ?? c.calendarId}"${c.selected ? html` checked` : ''}${disabled ? html` disabled` : ''}></td>
  <td><span class="swatch" style="background:${c.backgroundColor ?? '#ccc'}"></span>
    <label for="sel-${id}">${c.summary ?? c.calendarId}</label>${c.primary ? html` <small>(primary)</small>` : ''}</td>
  <td>${c.accessRole}</td><td>${c.timeZone ?? ''}</td>
  <td><input type="radio" name="default" value="${c.calendarId}" aria-label="Write bookings to ${c.summary ?? c.calendarId}"${c.isDefault ? html` checked` : ''}${!writable(c) || disabled ? html` disabled` : ''}></td>
</tr>`;
}

function connectionSection({ summary, calendars }: ConnectionWithCalendars) {
  const revoked = summary.status === 'revoked';
  return html`<section class="connection" data-connection-id="${summary.connectionId}" data-status="${summary.status}">
<h2>${summary.email} <span class="status status-${summary.status}">${summary.status}</span></h2>
${
  revoked
    ? html`<p class="flash error">Google no longer accepts this connection; syncing is paused.
  <a href="/connect?connection=${summary.connectionId}" class="reconnect">Reconnect</a></p>`
    : ''
}
<form method="post" action="/admin/connections/${summary.connectionId}/calendars">
<table><thead><tr><th>Sync</th><th>Calendar</th><th>Access</th><th>Time zone</th><th>Default for bookings</th></tr></thead>
<tbody>${calendars.map((c) => calendarRow(summary.connectionId, c, revoked))}</tbody></table>
<p><button type="submit"${revoked ? html` disabled` : ''}>Save</button></p>
</form>
<form method="post" action="/admin/connections/${summary.connectionId}/refresh" class="inline"><button type="submit"${revoked ? html` disabled` : ''}>Refresh calendar list</button></form>
${
  summary.status === 'active'
    ? html`<form method="post" action="/admin/connections/${summary.connectionId}/pause" class="inline"><button type="submit">Pause sync</button></form>`
    : summary.status === 'paused'
      ? html`<form method="post" action="/admin/connections/${summary.connectionId}/resume" class="inline"><button type="submit">Resume sync</button></form>`
      : ''
}
<form method="post" action="/admin/connections/${summary.connectionId}/disconnect" class="inline"
  onsubmit="return confirm('Disconnect this Google account? Syncing of its calendars stops.')"><button type="submit">Disconnect</button></form>
</section>`;
}

/** The org admin's page: connections, their calendars and the selection form. */
export function renderAdminPage(view: {
  orgId: string;
  connections: ConnectionWithCalendars[];
  flash?: { text: string; error?: boolean };
}): string {
  return page(
    'Google Calendar connections',
    html`<h1>Google Calendar connections</h1>
<p>Organization <strong>${view.orgId}</strong>
<form method="post" action="/admin/logout" class="inline"><button type="submit">Log out</button></form></p>
${view.flash ? html`<p class="flash${view.flash.error ? ' error' : ''}" role="status">${view.flash.text}</p>` : ''}
<p><a href="/connect" id="connect"><button type="button">Connect Google account</button></a></p>
${view.connections.length === 0 ? html`<p>No Google account is connected yet.</p>` : view.connections.map(connectionSection)}`,
  );
}

export function renderLoginPage(error?: string): string {
  return page(
    'Sign in',
    html`<h1>Admin sign-in</h1>
${error ? html`<p class="flash error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login">
<label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button></form>`,
  );
}

/** Outcome of a connect attempt or an action, with a way back. */
export function renderMessagePage(title: string, message: string, error = false): string {
  return page(
    title,
    html`<h1>${title}</h1><p class="flash${error ? ' error' : ''}" role="${error ? 'alert' : 'status'}">${message}</p>
<p><a href="/admin">Back to connections</a></p>`,
  );
}
