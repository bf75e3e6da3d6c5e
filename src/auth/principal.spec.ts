import { canAddScore } from './principal';

describe('canAddScore', () => {
  const exp = 0;
  it('lets a player add only to their own score', () => {
    expect(canAddScore({ sub: '7', scopes: [], exp }, 7)).toBe(true);
    expect(canAddScore({ sub: '7', scopes: [], exp }, 8)).toBe(false);
    expect(canAddScore({ scopes: [], exp }, 7)).toBe(false);
  });

  it('lets scores:write add to anyone, but not users:write alone', () => {
    expect(canAddScore({ sub: '1', scopes: ['scores:write'], exp }, 99)).toBe(true);
    expect(canAddScore({ scopes: ['users:write'], exp }, 99)).toBe(false);
  });
});
