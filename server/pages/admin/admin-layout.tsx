/** @jsxImportSource hono/jsx */
/**
 * The frame of the Assessment Team's pages: navigation by role, sign-out form (POST with CSRF).
 */
import type { Child } from 'hono/jsx';
import type { UserRole } from '../../db/schema.ts';

export interface AdminUserView {
  email: string;
  role: UserRole;
  csrfToken: string;
}

const NAV: { href: string; label: string; roles: UserRole[] }[] = [
  { href: '/admin', label: 'Overview', roles: ['admin', 'analyst', 'observer'] },
  { href: '/admin/dashboard', label: 'Dashboard', roles: ['admin', 'analyst'] },
  { href: '/admin/tracker', label: 'Response tracker', roles: ['admin', 'analyst'] },
  { href: '/admin/comparisons', label: 'Comparisons', roles: ['admin', 'analyst'] },
  { href: '/admin/trends', label: 'Trends', roles: ['admin', 'analyst'] },
  { href: '/admin/releases', label: 'Releases', roles: ['admin', 'analyst', 'observer'] },
  { href: '/admin/free-text', label: 'Free text', roles: ['admin', 'analyst'] },
  { href: '/admin/export', label: 'Export', roles: ['admin', 'analyst'] },
  { href: '/admin/invitations', label: 'Invitations', roles: ['admin'] },
  { href: '/admin/outbox', label: 'Outbox', roles: ['admin'] },
  { href: '/admin/questionnaires', label: 'Questionnaires', roles: ['admin'] },
  { href: '/admin/users', label: 'Users', roles: ['admin'] },
  { href: '/admin/audit', label: 'Audit log', roles: ['admin'] },
];

/** The `<head>` of every Assessment Team page: title, the one stylesheet, deferred scripts (never inline). */
export function AdminHead({ title, scripts }: { title: string; scripts?: string[] }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title} — GFMD Assessment Team</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/assets/styles.css" />
      {(scripts ?? []).map((src) => (
        <script src={src} defer></script>
      ))}
    </head>
  );
}

export function AdminLayout({
  title,
  user,
  current,
  children,
  scripts,
}: {
  title: string;
  user?: AdminUserView;
  current?: string;
  children?: Child;
  scripts?: string[];
}) {
  return (
    <html lang="en">
      <AdminHead title={title} {...(scripts ? { scripts } : {})} />
      <body class="admin">
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <span class="brand">GFMD · Assessment Team</span>
          {user ? (
            <form method="post" action="/admin/logout" class="signout">
              <input type="hidden" name="_csrf" value={user.csrfToken} />
              <span>
                {user.email} ({user.role})
              </span>{' '}
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        {user ? (
          <nav class="admin-nav" aria-label="Assessment Team">
            <ul>
              {NAV.filter((n) => n.roles.includes(user.role)).map((n) => (
                <li>
                  <a href={n.href} aria-current={current === n.href ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A form error shown above the fields, announced to screen readers. */
export function FormError({ message }: { message?: string }) {
  return message ? (
    <p class="notice error-summary" role="alert">
      {message}
    </p>
  ) : null;
}
