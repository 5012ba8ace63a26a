import { describe, expect, it } from 'vitest';
import { rawExchange } from '../support/raw-http.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

function expectProblemAnswer(
  answer: Awaited<ReturnType<typeof rawExchange>>,
  status: number,
  code: string,
): void {
  const [response] = answer.responses;
  expect(response?.status).toBe(status);
  expect(response?.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response?.headers.connection).toBe('close');
  expect(JSON.parse(response?.body ?? '{}')).toMatchObject({
    type: expect.stringMatching(`/problems/${code}$`),
    status,
  });
  expect(answer.closed).toBe(true);
}

const health = 'GET /health HTTP/1.1\r\nHost: vault\r\n\r\n';

describe("requests refused by Node's HTTP parser", () => {
  it('answers a duplicate Content-Length with a malformed-request problem and closes', async () => {
    const request =
      'POST /v1/listings HTTP/1.1\r\nHost: vault\r\nContent-Type: application/json\r\n' +
      'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}';
    expectProblemAnswer(await rawExchange(stack.current.apiUrl, [request], 1), 400, 'malformed-request');
  });

  it('answers headers over 16 KB with a headers-too-large problem (431)', async () => {
    const request = `GET /health HTTP/1.1\r\nHost: vault\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectProblemAnswer(await rawExchange(stack.current.apiUrl, [request], 1), 431, 'headers-too-large');
  });

  it('answers a request without a Host header with a malformed-request problem', async () => {
    const request = 'GET /health HTTP/1.1\r\n\r\n';
    expectProblemAnswer(await rawExchange(stack.current.apiUrl, [request], 1), 400, 'malformed-request');
  });

  it('answers an asterisk target (OPTIONS *) with a malformed-request problem', async () => {
    const request = 'OPTIONS * HTTP/1.1\r\nHost: vault\r\n\r\n';
    expectProblemAnswer(await rawExchange(stack.current.apiUrl, [request], 1), 400, 'malformed-request');
  });

  it('answers a bad request line with a malformed-request problem', async () => {
    const request = 'THIS IS NOT HTTP\r\n\r\n';
    expectProblemAnswer(await rawExchange(stack.current.apiUrl, [request], 1), 400, 'malformed-request');
  });
});

describe('keep-alive after an early answer', () => {
  it('answers the next request on the connection after refusing a large unauthenticated body', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(200_000) });
    const head =
      'POST /v1/listings HTTP/1.1\r\nHost: vault\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    // The body arrives in pieces, after the 401 may already be on its way.
    const pieces = [head, body.slice(0, 1000), body.slice(1000, 100_000), body.slice(100_000), health];
    const { responses, closed } = await rawExchange(stack.current.apiUrl, pieces, 2);
    expect(responses[0]?.status).toBe(401);
    if (responses.length < 2) {
      // Closing is allowed only when the server said so before the client sent more.
      expect(responses[0]?.headers.connection).toBe('close');
      expect(closed).toBe(true);
    } else {
      expect(responses[1]?.status).toBe(200);
    }
  });

  it('says Connection: close when it refuses a body over the limit unread', async () => {
    const size = 300 * 1024;
    const head =
      'POST /v1/listings HTTP/1.1\r\nHost: vault\r\nAuthorization: Bearer ' +
      `${stack.current.devApiKey}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    const { responses, closed } = await rawExchange(
      stack.current.apiUrl,
      [head, 'x'.repeat(size), health],
      2,
    );
    expect(responses[0]?.status).toBe(413);
    if (responses.length < 2) {
      expect(responses[0]?.headers.connection).toBe('close');
      expect(closed).toBe(true);
    } else {
      expect(responses[1]?.status).toBe(200);
    }
  });
});
