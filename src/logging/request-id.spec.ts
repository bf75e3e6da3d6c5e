import { IncomingMessage } from 'node:http';
import { requestId } from './request-id';

const request = (header?: string) => ({ headers: header === undefined ? {} : { 'x-request-id': header } }) as IncomingMessage;

describe('requestId', () => {
  it('keeps a sane caller id (nginx $request_id, a UUID, a trace id)', () => {
    expect(requestId(request('4cc3cb738ad0784c02206240e04ff71b'))).toBe('4cc3cb738ad0784c02206240e04ff71b');
    expect(requestId(request('trace-42:a.b_c'))).toBe('trace-42:a.b_c');
  });

  it('makes a UUID when the id is missing, too long or could forge log content', () => {
    for (const header of [undefined, '', 'x'.repeat(65), 'a b', '"},{"level":60', 'id\u2028x']) {
      expect(requestId(request(header))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
