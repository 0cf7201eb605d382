// The yardstick: a do-nothing Fastify route on the same machine. Every page's
// throughput is reported as a ratio of this one, so figures compare across machines.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ ok: true }));
const port = Number(process.env.PORT ?? 0);
const address = await app.listen({ port, host: '127.0.0.1' });
process.send?.({ address });
console.log(address);
