// Staff accounts screen (owner only): who has access, add a member, deactivate, reactivate, new password.
import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { ROLES, ROLE_NAMES } from '../../../domain/staff/roles.ts';
import { PASSWORD_MIN } from '../../../domain/staff/passwords.ts';
import type { StaffIdentity, StaffMember } from '../../../domain/staff/staff-service.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';

const LABELS = { name: 'Name', email: 'Email', role: 'Role', password: 'First password' };

export type StaffPageData = {
  me: StaffIdentity;
  members: StaffMember[];
  now: Date;
  timeZone: string;
  csrf: VNode;
  values?: FormValues;
  errors?: FormErrors;
  error?: string;
  /** Shown once after an owner set a new password for someone. */
  newPassword?: { name: string; email: string; password: string };
};

export function StaffView(d: StaffPageData) {
  const values = d.values ?? { role: 'support' };
  const errors = d.errors ?? {};
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: d.timeZone }).toFormat('LLL d, yyyy');
  const time = (at: Date) => DateTime.fromJSDate(at, { zone: d.timeZone }).toFormat('h:mm a');
  return (
    <>
      <h1>Staff</h1>
      {d.error ? (
        <div class="alert alert-error" role="alert">
          {d.error}
        </div>
      ) : null}
      {d.newPassword ? (
        <div class="alert alert-ok" role="status">
          <p>
            New password for {d.newPassword.name} ({d.newPassword.email}): <code class="secret">{d.newPassword.password}</code>
          </p>
          <p>Give it to them in person; it is shown only this once. They are signed out everywhere and can change it under Account.</p>
        </div>
      ) : null}
      <section class="panel" aria-labelledby="members-title">
        <h2 id="members-title">People with access</h2>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => {
                const locked = m.active && m.lockedUntil && m.lockedUntil > d.now;
                return (
                  <tr class={m.active ? undefined : 'row-muted'}>
                    <td>
                      {m.name}
                      {m.id === d.me.id ? <span class="muted"> (you)</span> : null}
                    </td>
                    <td>{m.email}</td>
                    <td>{ROLES[m.role].label}</td>
                    <td>
                      {!m.active ? (
                        <span class="pill pill-muted">Deactivated</span>
                      ) : locked ? (
                        <span class="pill pill-warn">Locked until {time(m.lockedUntil!)}</span>
                      ) : (
                        <span class="pill pill-ok">Active</span>
                      )}
                    </td>
                    <td>{day(m.createdAt)}</td>
                    <td class="actions">
                      {m.id === d.me.id ? null : (
                        <>
                          <form method="post" action={`/admin/staff/${m.id}/${m.active ? 'deactivate' : 'reactivate'}`} class="inline-form">
                            {d.csrf}
                            <button type="submit" class="secondary small">
                              {m.active ? 'Deactivate' : 'Reactivate'}
                              <span class="visually-hidden"> {m.name}</span>
                            </button>
                          </form>
                          {m.active ? (
                            <form method="post" action={`/admin/staff/${m.id}/password`} class="inline-form">
                              {d.csrf}
                              <button type="submit" class="secondary small">
                                New password<span class="visually-hidden"> for {m.name}</span>
                              </button>
                            </form>
                          ) : null}
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section class="panel narrow-form" aria-labelledby="add-title">
        <h2 id="add-title">Add a staff member</h2>
        <ErrorSummary errors={errors} labels={LABELS} />
        <form method="post" action="/admin/staff">
          {d.csrf}
          <div class="row">
            <Field name="name" label={LABELS.name} value={text(values, 'name')} autocomplete="off" required maxLength={80} error={errors.name} />
            <Field name="email" label={LABELS.email} type="email" value={text(values, 'email')} autocomplete="off" required maxLength={254} error={errors.email} />
          </div>
          <SelectField
            name="role"
            label={LABELS.role}
            value={text(values, 'role')}
            options={ROLE_NAMES.map((r) => ({ value: r, label: `${ROLES[r].label} — ${ROLES[r].description}` }))}
            error={errors.role}
          />
          <Field
            name="password"
            label={LABELS.password}
            type="password"
            autocomplete="new-password"
            required
            hint={`At least ${PASSWORD_MIN} characters. Tell it to them in person; they can change it under Account.`}
            error={errors.password}
          />
          <button type="submit">Add staff member</button>
        </form>
      </section>
    </>
  );
}
