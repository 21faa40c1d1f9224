/** @jsxImportSource hono/jsx */
/**
 * The page of a tool that works on one questionnaire (tracker, releases, …) before one is chosen:
 * the published questionnaires, each a link to the tool for it.
 */
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { SurveyChooser, type SurveyChoice } from './admin-parts.tsx';

/** `path` is the tool's address, also the current entry of the menu. */
export function SurveyChooserPage({ title, user, path, surveys }: { title: string; user: AdminUserView | undefined; path: string; surveys: SurveyChoice[] }) {
  return (
    <AdminLayout title={title} user={user} current={path}>
      <SurveyChooser surveys={surveys} path={path} />
    </AdminLayout>
  );
}
