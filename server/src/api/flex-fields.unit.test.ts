import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { parseFlexRequest, selectFields } from './flex-fields.js';

describe('expand/fields/omit', () => {
  it('parses dotted lists into trees', () => {
    const flex = parseFlexRequest({ expand: 'team.members,creator', fields: 'id,team.name' });
    expect([...flex.expand.keys()]).toEqual(['team', 'creator']);
    expect([...(flex.expand.get('team')?.keys() ?? [])]).toEqual(['members']);
    expect(flex.omit).toBeUndefined();
  });

  it('refuses names that are not identifiers and paths that are too deep', () => {
    expect(() => parseFlexRequest({ fields: 'id;drop' })).toThrow(AppError);
    expect(() => parseFlexRequest({ expand: 'a.b.c.d' })).toThrow(AppError);
  });

  it('keeps fields and drops omitted ones inside expanded objects and lists', () => {
    const object = {
      id: 1,
      name: 'n',
      team: { id: 2, name: 't', members: [{ id: 3, username: 'u', email: 'e' }] },
    };
    const keep = parseFlexRequest({ fields: 'id,team.members.username' });
    expect(selectFields(object, keep.fields, keep.omit)).toEqual({
      id: 1,
      team: { members: [{ username: 'u' }] },
    });
    const drop = parseFlexRequest({ omit: 'name,team.members.email' });
    expect(selectFields(object, drop.fields, drop.omit)).toEqual({
      id: 1,
      team: { id: 2, name: 't', members: [{ id: 3, username: 'u' }] },
    });
  });
});
