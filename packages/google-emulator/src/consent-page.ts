/** HTML of the consent and error pages (real forms a browser test can click). */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function consentPage(q: URLSearchParams, loginHint: string | undefined): string {
  const request = Buffer.from(q.toString()).toString('base64url');
  const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (emulator)</title></head>
<body>
<h1>Choose an account</h1>
<p><b>${esc(q.get('client_id') ?? '')}</b> wants to access your Google Account</p>
<ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="/o/oauth2/v2/auth/consent">
  <input type="hidden" name="request" value="${request}">
  <label>Email <input type="email" name="email" id="identifierId" value="${esc(loginHint ?? '')}" required></label>
  <label>Time zone <input type="text" name="timeZone" id="timeZone" value="UTC"></label>
  <button type="submit" name="decision" value="allow" id="submit_approve_access">Allow</button>
  <button type="submit" name="decision" value="deny" id="submit_deny_access" formnovalidate>Deny</button>
</form>
</body></html>`;
}

export function errorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error 400 (OAuth2 Error)</title></head>
<body><h1>Access blocked: Authorization Error</h1><p>Error: ${esc(error)}</p><p>${esc(description)}</p></body></html>`;
}
