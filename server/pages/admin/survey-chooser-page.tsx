/** @jsxImportSource hono/jsx */
/**
 * A page of one questionnaire opened without naming one: the list of questionnaires to choose from.
 */
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { SurveyChooser, type SurveyChoice } from './admin-parts.tsx';

/** `path` is the page's own address: each choice links to it with `?survey=`, and it marks the navigation. */
export function SurveyChooserPage({ title, user, path, surveys }: { title: string; user: AdminUserView | undefined; path: string; surveys: SurveyChoice[] }) {
  return (
    <AdminLayout title={title} user={user} current={path}>
      <SurveyChooser surveys={surveys} path={path} />
    </AdminLayout>
  );
}
