// Runs generated node-redis or ioredis connection code, unchanged, then a scenario with the
// client it made.
//
// Usage: node run_node.mjs SNIPPET_FILE SCENARIO SECONDS
//
// The snippet is TypeScript or JavaScript: its types are stripped by the TypeScript compiler,
// nothing else is touched. It runs as a module would (its own PING included). Its closing
// `close()` / `quit()` is held back so the scenario can go on with the client it made; the
// scenario then prints one JSON line with what happened.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { Redis } from "ioredis";
import { createClient } from "redis";

const [snippetPath, scenario, seconds] = [process.argv[2], process.argv[3], Number(process.argv[4])];

/** Clients whose shutdown the snippet asked for, kept open for the scenario. */
const held = [];
function holdBack(instance, method) {
  // Patch the class that defines the method, which every client class derives from.
  let prototype = Object.getPrototypeOf(instance);
  while (prototype && !Object.hasOwn(prototype, method)) prototype = Object.getPrototypeOf(prototype);
  const original = prototype[method];
  prototype[method] = async function () {
    held.push({ client: this, close: () => original.call(this) });
    return "OK";
  };
}
holdBack(new Redis({ lazyConnect: true }), "quit");
holdBack(createClient({ url: "redis://127.0.0.1:1" }), "close");

async function runSnippet() {
  const source = readFileSync(snippetPath, "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  // Beside this script, so the snippet's imports resolve to the installed packages.
  const here = dirname(fileURLToPath(import.meta.url));
  const folder = mkdtempSync(join(here, ".snippet-"));
  const file = join(folder, "snippet.mjs");
  writeFileSync(file, outputText);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (held.length !== 1) {
    throw new Error(`the snippet closed ${held.length} clients; expected one`);
  }
  return held[0];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const describe = (error) => `${error?.name}: ${error?.message}`;

async function setAndGet(client) {
  const firstId = await command(client, ["CLIENT", "ID"]);
  let done = 0;
  const failures = [];
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      await client.set("keyless:check", String(done));
      if ((await client.get("keyless:check")) !== String(done)) failures.push("GET returned another value");
      done += 1;
    } catch (error) {
      failures.push(describe(error));
    }
    await sleep(500);
  }
  const whoami = await command(client, ["ACL", "WHOAMI"]);
  const lastId = await command(client, ["CLIENT", "ID"]);
  return { whoami, operations: done, failures, same_connection: firstId === lastId };
}

/** A raw command on either library's client. */
function command(client, args) {
  return client instanceof Redis ? client.call(...args) : client.sendCommand(args);
}

async function subscribe(client) {
  const failures = [];
  const received = [];
  const onMessage = (message) => received.push(String(message));
  let subscriber;
  if (client instanceof Redis) {
    // ioredis renews the snippet's one connection only; under RESP3 it may subscribe and
    // publish on that same connection.
    client.on("message", (_channel, message) => onMessage(message));
    await client.subscribe("keyless:news");
  } else {
    subscriber = client.duplicate();
    subscriber.on("error", (error) => failures.push(`subscriber: ${describe(error)}`));
    await subscriber.connect();
    await subscriber.subscribe("keyless:news", onMessage);
  }
  let published = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      await client.publish("keyless:news", String(published));
      published += 1;
    } catch (error) {
      failures.push(`publisher: ${describe(error)}`);
    }
    await sleep(500);
  }
  await sleep(1000);
  return { published, received: received.length, failures, subscriber };
}

async function writeRefused(client) {
  const result = { read: await client.get("keyless:check"), write: "accepted" };
  try {
    await client.set("keyless:check", "reader");
  } catch (error) {
    result.write = `refused: ${error.message}`;
  }
  return result;
}

const scenarios = { "set-get": setAndGet, pubsub: subscribe, reader: writeRefused };

const { client, close } = await runSnippet();
const { subscriber, ...result } = await scenarios[scenario](client);
console.log(JSON.stringify(result));
if (subscriber) subscriber.destroy();
await close();
process.exit(0);
