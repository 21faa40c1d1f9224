/** @jsxImportSource hono/jsx */
/**
 * The Assessment Team's landing page: the questionnaires, their versions and whether they are
 * open, each linking to its figures.
 */
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { TableHead } from './admin-parts.tsx';

export interface OverviewRow {
  surveyId: string;
  title: string;
  version: string;
  contentHash: string;
  opens: string;
  closes: string;
  /** The window's state in words (`open`, `not yet open`, …). */
  state: string;
}

/** The overview; `figures` is the page each questionnaire links to (the dashboard, or the releases for observers). */
export function OverviewPage({ user, surveys, figures }: { user: AdminUserView | undefined; surveys: OverviewRow[]; figures: string }) {
  return (
    <AdminLayout title="Overview" user={user} current="/admin">
      <table class="data">
        <TableHead columns={['Questionnaire', 'Version', 'Open', 'State']} />
        <tbody>
          {surveys.map((s) => (
            <tr>
              <td>
                <a href={`${figures}?survey=${s.surveyId}`}>{s.title}</a>
              </td>
              <td>
                {s.version} <code>{s.contentHash.slice(0, 12)}</code>
              </td>
              <td>
                {s.opens} to {s.closes}
              </td>
              <td>{s.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}
