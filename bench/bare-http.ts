/** Child process: the limit for GET /api/leaderboard, a bare node:http server answering from a Redis GET. */
import { createServer } from 'node:http';
import { createClient } from 'redis';

const [redisUrl, key] = process.argv.slice(2);
const redis = createClient({ url: redisUrl });

void redis.connect().then(() => {
  const server = createServer((_request, response) => {
    void redis.get(key).then((value) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(value);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as { port: number }).port }));
});
process.on('SIGTERM', () => process.exit(0));
