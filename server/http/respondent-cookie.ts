/** The name of the respondent's session cookie, set when an invitation link is opened and read by the form. */
export const SESSION_COOKIE = 'fat_session';
