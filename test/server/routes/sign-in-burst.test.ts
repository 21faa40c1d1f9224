/**
 * Sign-in throttling refuses a burst as it refuses a sequence: attempts are counted as they
 * arrive, per address and per account, so fifty wrong passwords sent at once do not all reach
 * the slow password check. Each check that fails writes `login.failed` to the audit log, which
 * counts how many got that far.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { Browser } from '../support/browser.ts';
import { createTeamFixture, type Member, type TeamFixture } from '../support/team-fixture.ts';

/** Failed sign-ins an address may make in a minute (the fixture's `loginRateLimit`). */
const PER_ADDRESS = 3;
/** Attempts at one account in a minute, from all addresses together: three times an address's. */
const PER_ACCOUNT = 3 * PER_ADDRESS;
const BURST = 50;

for (const trustProxy of [true, false]) {
  describe(`a burst of sign-ins (${TEST_DATABASE_KIND}, trustProxy ${trustProxy})`, () => {
    let team: TeamFixture;
    let analyst: Member;
    let viewer: Member;
    beforeEach(async () => {
      team = await createTeamFixture({ loginRateLimit: PER_ADDRESS, trustProxy });
      analyst = await team.addMember('analyst', 'ana@gfmd.example');
      viewer = await team.addMember('observer', 'obs@gfmd.example');
    });
    afterEach(() => team.close());

    const attempt = (address: string, member: Member, password: string) =>
      new Browser(team.app, { 'X-Forwarded-For': address }).postForm('/admin/login', { email: member.email, password });
    const passwordChecksFailed = async () => (await team.auditActions()).filter((action) => action === 'login.failed').length;
    const statuses = (responses: Response[]) =>
      responses.reduce<Record<number, number>>((count, res) => {
        count[res.status] = (count[res.status] ?? 0) + 1;
        return count;
      }, {});

    it('lets at most the allowed number of parallel wrong passwords from one address reach the check', async () => {
      const responses = await Promise.all(Array.from({ length: BURST }, (_, i) => attempt('203.0.113.7', analyst, `wrong guess ${i}`)));
      expect(statuses(responses)).toEqual({ 401: PER_ADDRESS, 429: BURST - PER_ADDRESS });
      expect(await passwordChecksFailed()).toBe(PER_ADDRESS);
      for (const res of responses.filter((r) => r.status === 429)) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // The sequence that follows is refused too.
      expect((await attempt('203.0.113.7', analyst, 'one more guess')).status).toBe(429);
      if (trustProxy) {
        // The account's owner, elsewhere, still signs in.
        expect((await attempt('198.51.100.20', analyst, analyst.password)).status).toBe(303);
      }
    });

    it('forgets the failures once the minute is over', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        for (let i = 0; i < PER_ADDRESS; i++) expect((await attempt('203.0.113.7', analyst, `wrong guess ${i}`)).status).toBe(401);
        expect((await attempt('203.0.113.7', analyst, analyst.password)).status).toBe(429);
        vi.setSystemTime(Date.now() + 61_000);
        expect((await attempt('203.0.113.7', analyst, analyst.password)).status).toBe(303);
      } finally {
        vi.useRealTimers();
      }
    });

    it('lets at most the allowed number of parallel wrong passwords at one account reach the check, from however many addresses', async () => {
      const responses = await Promise.all(Array.from({ length: BURST }, (_, i) => attempt(`192.0.2.${i + 1}`, analyst, `wrong guess ${i}`)));
      // Without a trusted proxy X-Forwarded-For is ignored: every attempt comes from one address.
      const allowed = trustProxy ? PER_ACCOUNT : PER_ADDRESS;
      expect(statuses(responses)).toEqual({ 401: allowed, 429: BURST - allowed });
      expect(await passwordChecksFailed()).toBe(allowed);
      if (trustProxy) {
        expect((await attempt('192.0.2.200', analyst, 'one more guess')).status).toBe(429);
        // Another account, from an address that made no attempt, is not affected.
        expect((await attempt('198.51.100.20', viewer, viewer.password)).status).toBe(303);
      }
    });
  });
}
