// Check YAML files as an editor does: run the real yaml-language-server over stdio, open each file,
// and print the diagnostics it publishes (the schema comes from each file's `# yaml-language-server`
// modeline). Not part of `make test` (it needs Node and an npm package); run it by hand after a schema
// change:
//
//   npm install --prefix /tmp/yls yaml-language-server
//   NODE_PATH=/tmp/yls/node_modules node scripts/editor_check.js $(find frameworks examples -name '*.yaml')
//
// Prints `file:line:col: message` per diagnostic and a count; no network (the schema store is off).
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const files = process.argv.slice(2).map(f => path.resolve(f));
const server = spawn(process.execPath, [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio']);
let buf = Buffer.alloc(0), id = 0;
const pending = new Map();
const results = new Map();
function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
function request(method, params) { const i = ++id; send({ id: i, method, params }); return new Promise(r => pending.set(i, r)); }
const settings = { yaml: { validate: true, schemaStore: { enable: false }, yamlVersion: '1.2', format: { enable: false }, hover: true, completion: true } };
server.stdout.on('data', chunk => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const sep = buf.indexOf('\r\n\r\n'); if (sep < 0) return;
    const len = parseInt(/Content-Length: (\d+)/.exec(buf.slice(0, sep).toString())[1]);
    if (buf.length < sep + 4 + len) return;
    const msg = JSON.parse(buf.slice(sep + 4, sep + 4 + len).toString('utf8'));
    buf = buf.slice(sep + 4 + len);
    if (msg.id !== undefined && pending.has(msg.id) && msg.method === undefined) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
    else if (msg.method === 'workspace/configuration') send({ id: msg.id, result: msg.params.items.map(it => it.section === 'yaml' ? settings.yaml : (settings[it.section] ?? null)) });
    else if (msg.method === 'textDocument/publishDiagnostics') results.set(msg.params.uri, msg.params.diagnostics);
    else if (msg.id !== undefined && msg.method) send({ id: msg.id, result: null });
  }
});
server.stderr.on('data', d => process.stderr.write(d));
(async () => {
  await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  send({ method: 'initialized', params: {} });
  send({ method: 'workspace/didChangeConfiguration', params: { settings } });
  for (const f of files) {
    send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file://' + f, languageId: 'yaml', version: 1, text: fs.readFileSync(f, 'utf8') } } });
  }
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline && results.size < files.length) await new Promise(r => setTimeout(r, 200));
  await new Promise(r => setTimeout(r, 2000)); // late re-validations after the schema loads
  let problems = 0;
  for (const f of files) {
    const d = results.get('file://' + f);
    if (d === undefined) { console.log(`${f}: NO DIAGNOSTICS RECEIVED`); problems++; continue; }
    for (const x of d) { problems++; console.log(`${path.relative(process.cwd(), f)}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.message.replace(/\n/g, ' ')}`); }
  }
  console.log(`${files.length} file(s), ${problems} diagnostic(s)`);
  server.kill(); process.exit(0);
})();
