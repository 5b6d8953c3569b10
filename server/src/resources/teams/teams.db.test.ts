import { describe, expect, it } from 'vitest';
import type { Page, Team, TeamMembership } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

describe('users/teams/', () => {
  it('makes the creator admin of a new team and lists it only to members', async () => {
    const founder = await make().user();
    const outsider = await make().user();
    const created = await api()
      .as(founder)
      .post<Team>('/users/teams/', { name: `Pathology ${founder.id}` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ members: [founder.id], image_sets: [], product_set: [] });
    expect(created.body.memberships).toHaveLength(1);
    const membership = await api()
      .as(founder)
      .get<TeamMembership>(`/users/team_membership/${created.body.memberships[0]}/`);
    expect(membership.body).toMatchObject({ is_admin: true, user: founder.id, team: created.body.id });
    expect((await api().as(outsider).get(`/users/teams/${created.body.id}/`)).status).toBe(404);
    const listed = await api().as(outsider).get<Page<Team>>(`/users/teams/?id=${created.body.id}`);
    expect(listed.body.count).toBe(0);
  });

  it('lets admins rename; members get 403, outsiders 404; names are unique', async () => {
    const admin = await make().user();
    const member = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const path = `/users/teams/${team}/`;
    expect((await api().as(member).patch(path, { name: 'x' })).status).toBe(403);
    expect((await api().as(outsider).patch(path, { name: 'x' })).status).toBe(404);
    const renamed = await api()
      .as(admin)
      .patch<Team>(path, { name: `Renamed ${team}` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`Renamed ${team}`);
    const other = await make().team({ admins: [admin] });
    const clash = await api()
      .as(admin)
      .put(`/users/teams/${other}/`, { name: `Renamed ${team}` });
    expect(clash.status).toBe(400);
    expect(clash.body).toEqual({ name: ['team with this name already exists.'] });
  });

  it('filters by members and name__contains', async () => {
    const a = await make().user();
    const t1 = await make().team({ admins: [a], name: `alpha-${a.id}` });
    await make().team({ admins: [a], name: `beta-${a.id}` });
    const byMember = await api().as(a).get<Page<Team>>(`/users/teams/?members=${a.id}`);
    expect(byMember.body.count).toBe(2);
    const byName = await api().as(a).get<Page<Team>>(`/users/teams/?name__contains=alpha-${a.id}`);
    expect(byName.body.results.map((t) => t.id)).toEqual([t1]);
  });

  it('refuses to delete a team that still owns image sets', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    await make().imageSet(team, admin);
    expect((await api().as(admin).delete(`/users/teams/${team}/`)).status).toBe(409);
    const empty = await make().team({ admins: [admin] });
    expect((await api().as(admin).delete(`/users/teams/${empty}/`)).status).toBe(204);
  });
});

describe('users/team_membership/', () => {
  it('lets team admins add members; members and outsiders cannot', async () => {
    const admin = await make().user();
    const member = await make().user();
    const newcomer = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const body = { team, user: newcomer.id };
    expect((await api().as(member).post('/users/team_membership/', body)).status).toBe(403);
    const fromOutsider = await api().as(outsider).post('/users/team_membership/', body);
    expect(fromOutsider.status).toBe(400);
    expect(fromOutsider.body).toEqual({ team: [`Invalid pk "${team}" - object does not exist.`] });
    const added = await api().as(admin).post<TeamMembership>('/users/team_membership/', body);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ team, user: newcomer.id, is_admin: false });
    const twice = await api().as(admin).post('/users/team_membership/', body);
    expect(twice.status).toBe(400);
    const ghost = await api().as(admin).post('/users/team_membership/', { team, user: 999_999 });
    expect(ghost.body).toEqual({ user: ['Invalid pk "999999" - object does not exist.'] });
  });

  it('keeps at least one admin, lets members leave, and hides other teams', async () => {
    const admin = await make().user();
    const member = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const list = await api().as(admin).get<Page<TeamMembership>>(`/users/team_membership/?team=${team}`);
    const mine = list.body.results.find((m) => m.user === admin.id);
    const theirs = list.body.results.find((m) => m.user === member.id);
    if (!mine || !theirs) throw new Error('memberships missing');
    expect((await api().as(outsider).get(`/users/team_membership/${mine.id}/`)).status).toBe(404);
    expect(
      (await api().as(admin).patch(`/users/team_membership/${mine.id}/`, { is_admin: false })).status,
    ).toBe(409);
    expect((await api().as(admin).delete(`/users/team_membership/${mine.id}/`)).status).toBe(409);
    expect(
      (await api().as(member).patch(`/users/team_membership/${theirs.id}/`, { is_admin: true })).status,
    ).toBe(403);
    const promoted = await api().as(admin).patch<TeamMembership>(`/users/team_membership/${theirs.id}/`, {
      is_admin: true,
    });
    expect(promoted.body.is_admin).toBe(true);
    expect((await api().as(admin).delete(`/users/team_membership/${mine.id}/`)).status).toBe(204);
    expect((await api().as(admin).get(`/users/teams/${team}/`)).status).toBe(404);
  });
});
