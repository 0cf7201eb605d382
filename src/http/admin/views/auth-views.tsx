// Sign-in, account and refusal pages of the back office. Pure components: data in, markup out.
import type { VNode } from 'preact';
import { PERMISSIONS, ROLES, permissionsOf } from '../../../domain/staff/roles.ts';
import type { StaffIdentity } from '../../../domain/staff/staff-service.ts';
import { PASSWORD_MIN } from '../../../domain/staff/passwords.ts';
import { ErrorSummary, Field, type FormErrors } from './form.tsx';

export function LoginView({ email, next, error }: { email: string; next: string; error?: string }) {
  return (
    <section class="panel login-panel" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value={next} />
        <Field name="email" label="Email" type="email" value={email} autocomplete="username" required autofocus={!email} maxLength={254} />
        <Field name="password" label="Password" type="password" autocomplete="current-password" required autofocus={Boolean(email)} maxLength={200} />
        <button type="submit" class="wide">
          Sign in
        </button>
      </form>
      <p class="hint">Forgotten your password? The shop owner can give you a new one.</p>
    </section>
  );
}

const ACCOUNT_LABELS = { currentPassword: 'Current password', newPassword: 'New password', repeatPassword: 'Repeat new password' };

export function AccountView({ staff, csrf, errors = {}, error }: { staff: StaffIdentity; csrf: VNode; errors?: FormErrors; error?: string }) {
  return (
    <>
      <h1>Your account</h1>
      <div class="admin-columns">
        <section class="panel" aria-labelledby="me-title">
          <h2 id="me-title">Signed in as</h2>
          <dl class="kv">
            <dt>Name</dt>
            <dd>{staff.name}</dd>
            <dt>Email</dt>
            <dd>{staff.email}</dd>
            <dt>Role</dt>
            <dd>{ROLES[staff.role].label}</dd>
          </dl>
          <h3>Your role may</h3>
          <ul class="compact-list">
            {permissionsOf(staff.role).map((p) => (
              <li>{PERMISSIONS[p].label}</li>
            ))}
          </ul>
        </section>
        <section class="panel" aria-labelledby="password-title">
          <h2 id="password-title">Change password</h2>
          {error ? (
            <div class="alert alert-error" role="alert">
              {error}
            </div>
          ) : null}
          <ErrorSummary errors={errors} labels={ACCOUNT_LABELS} />
          <form method="post" action="/admin/account/password">
            {csrf}
            {/* Lets password managers file the new password under the right account. */}
            <input type="hidden" name="username" value={staff.email} autocomplete="username" />
            <Field name="currentPassword" label={ACCOUNT_LABELS.currentPassword} type="password" autocomplete="current-password" required error={errors.currentPassword} />
            <Field
              name="newPassword"
              label={ACCOUNT_LABELS.newPassword}
              type="password"
              autocomplete="new-password"
              required
              hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`}
              error={errors.newPassword}
            />
            <Field name="repeatPassword" label={ACCOUNT_LABELS.repeatPassword} type="password" autocomplete="new-password" required error={errors.repeatPassword} />
            <p class="hint">Changing your password signs you out on every other browser and ends your API tokens.</p>
            <button type="submit">Change password</button>
          </form>
        </section>
      </div>
    </>
  );
}

export function ForbiddenView({ role, what }: { role: string; what: string }) {
  return (
    <section class="panel narrow">
      <h1>You can’t open this page</h1>
      <p>
        Your role ({role}) may not {what}. If your work needs it, ask the shop owner.
      </p>
      <p>
        <a href="/admin">Back to the dashboard</a>
      </p>
    </section>
  );
}

export function CsrfRefusedView({ crossSite }: { crossSite: boolean }) {
  return (
    <section class="panel narrow">
      <h1>This form was refused</h1>
      <p>
        {crossSite
          ? 'It was sent from another website, so nothing was changed.'
          : 'It was missing its security code or came from an old page, so nothing was changed.'}{' '}
        Go back, reload the page and try again.
      </p>
      <p>
        <a href="/admin">Back to the dashboard</a>
      </p>
    </section>
  );
}
