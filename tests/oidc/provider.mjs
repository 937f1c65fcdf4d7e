// A real OpenID provider for the single sign-on tests: the certified `oidc-provider` package,
// served on 127.0.0.1 with a fresh RSA signing key. The tests start it (tests/sso.py) with
//   PORT      the port (0: any free one; the chosen port is printed as "listening <port>")
//   CLIENTS   JSON list of client metadata (client_id, client_secret, redirect_uris)
//   ACCOUNTS  JSON object: account id -> claims ({"email": ..., "email_verified": true})
// Its sign-in page is a plain form asking for the account id: the tests post it the way a
// person would, then follow the redirects back to the portal.
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.CLIENTS || '[]');
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const port = Number(process.env.PORT || 0);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(provider, req, res, uid, submitted) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) { res.statusCode = 400; res.end('wrong interaction'); return; }
  if (!submitted) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Test directory</title><form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Account <input name="login" id="login"></label><button type="submit">Sign in</button></form>`);
    return;
  }
  const form = await readForm(req);
  const login = form.get('login') || '';
  if (!Object.hasOwn(accounts, login)) { res.statusCode = 401; res.end('unknown account'); return; }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } },
    { mergeWithLastSubmission: false });
}

function start(issuer, server) {
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (ctx, details) => `/interaction/${details.uid}` },
    findAccount: async (ctx, id) => (Object.hasOwn(accounts, id)
      ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
  });
  const handler = provider.callback();
  server.on('request', (req, res) => {
    const match = req.url.match(/^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/);
    if (!match) { handler(req, res); return; }
    interaction(provider, req, res, match[1], req.method === 'POST' && match[2])
      .catch((error) => { res.statusCode = 500; res.end(String(error)); });
  });
}

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const chosen = server.address().port;
  start(`http://127.0.0.1:${chosen}`, server);
  process.stdout.write(`listening ${chosen}\n`);
});
