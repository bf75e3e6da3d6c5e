import { before, comparePositions, decodePosition, encodePosition } from './feed-position';

describe('feed position', () => {
  it('round-trips through its encoding', () => {
    const sut = { xid: 18_446_744_073_709_551_615n, row: 42n };
    expect(decodePosition(encodePosition(sut))).toEqual(sut);
  });

  it('orders encodings as strings exactly as positions', () => {
    const positions = [{ xid: 10n, row: 5n }, { xid: 9n, row: 900n }, before(10n), { xid: 10n, row: 1n }];
    const byString = [...positions].sort((a, b) => (encodePosition(a) < encodePosition(b) ? -1 : 1));
    expect(byString).toEqual([...positions].sort(comparePositions));
    expect(byString).toEqual([{ xid: 9n, row: 900n }, before(10n), { xid: 10n, row: 1n }, { xid: 10n, row: 5n }]);
  });

  it('refuses anything else', () => {
    expect(() => decodePosition('12')).toThrow('not a feed position');
    expect(() => decodePosition('1:2:3')).toThrow('not a feed position');
  });
});
