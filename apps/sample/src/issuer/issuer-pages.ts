/**
 * The embedded issuer's HTML pages: minimal, server-rendered, no scripts and no external assets.
 * Every interpolated value goes through {@link escapeHtml}.
 */

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}' +
  'label{display:block;margin:.75rem 0 .25rem}input[type=text],input[type=password]' +
  '{width:100%;padding:.4rem;box-sizing:border-box}button{margin:1rem .5rem 0 0;padding:.4rem 1rem}' +
  '.error{color:#b00020}.demo{color:#555;font-size:.9rem}';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/**
 * The login form: `POST /interaction/<uid>/login` with `username` and `password`.
 */
export function loginPage(uid: string, clientName: string, error?: string): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    'Sign in',
    `<p>Sign in to continue to <strong>${escapeHtml(clientName)}</strong>.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${base}/login">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autofocus required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${base}/abort"><button type="submit">Cancel</button></form>
<p class="demo">Demo users: alice / alice (tenant acme, admin), bob / bob (tenant globex).</p>`,
  );
}

/** The consent form: `POST /interaction/<uid>/confirm` grants, `…/abort` denies. */
export function consentPage(uid: string, clientName: string, scopes: readonly string[]): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return page(
    'Authorize',
    `<p><strong>${escapeHtml(clientName)}</strong> asks for:</p>
<ul>${items}</ul>
<form method="post" action="${base}/confirm"><button type="submit" autofocus>Allow</button></form>
<form method="post" action="${base}/abort"><button type="submit">Deny</button></form>`,
  );
}

/** A page for an error; `message` must not contain anything secret. */
export function errorPage(title: string, message: string): string {
  return page(title, `<p class="error">${escapeHtml(message)}</p>`);
}

/**
 * Device flow, step 1: oidc-provider's `form` (`id="op.deviceInputForm"`, fields `xsrf` and
 * `user_code`) with a submit button.
 */
export function deviceInputPage(form: string, error?: string): string {
  return page(
    'Connect a device',
    `<p>Enter the code shown on your device.</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

/**
 * What the code-input page says after oidc-provider re-renders it for `error` (its
 * `userCodeInputSource` hook): that the person denied the sign-in (Abort on the confirm page,
 * Cancel or Deny later), that the code is wrong, expired or used, or that something else failed.
 * `undefined` (a first visit) says nothing.
 */
export function deviceInputError(
  error: { name?: string; userCode?: string } | undefined,
): string | undefined {
  if (!error) return undefined;
  switch (error.name) {
    case 'AbortedError':
      return 'The sign-in was cancelled, and the device was not connected. To connect it, start the login on the device again.';
    case 'ExpiredError':
      return 'That code has expired. Start the login on your device again for a new code.';
    case 'AlreadyUsedError':
      return 'That code has already been used. Start the login on your device again for a new code.';
    case 'NotFoundError':
    case 'NoCodeError':
      return 'That code is not valid. Try again.';
    default:
      return error.userCode
        ? 'That code is not valid. Try again.'
        : 'Something went wrong. Start the login on your device again.';
  }
}

/**
 * Device flow, step 2: oidc-provider's `form` (`id="op.deviceConfirmForm"`, hidden `xsrf`,
 * `user_code`, `confirm=yes`), a Continue button and an Abort button (`abort=yes`).
 */
export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p><strong>${escapeHtml(clientName)}</strong> asks to sign in. Check that your device shows
<code>${escapeHtml(userCode)}</code>.</p>
${form}
<button type="submit" form="op.deviceConfirmForm" autofocus>Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
  );
}

/** Device flow, done. */
export function deviceSuccessPage(clientName: string): string {
  return page(
    'Device connected',
    `<p>You are signed in on <strong>${escapeHtml(clientName)}</strong>. You can close this page.</p>`,
  );
}

/** RP-initiated logout confirmation around oidc-provider's `form` (`id="op.logoutForm"`). */
export function logoutPage(form: string): string {
  return page(
    'Sign out',
    `<p>Sign out of the demo issuer?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}

/** After RP-initiated logout. */
export function signedOutPage(): string {
  return page('Signed out', '<p>You are signed out of the demo issuer.</p>');
}
