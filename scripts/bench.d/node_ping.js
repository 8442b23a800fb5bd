// The anchors of `scripts/bench rpc` (issue 17): a JSON-RPC `system.ping` in Node.js on a Unix socket, the way the
// seed's backend would answer it. `node node_ping.js http SOCKET` is bare node:http (the body read and parsed with
// JSON.parse, the answer serialised with JSON.stringify); `node node_ping.js express SOCKET` is Express with
// express.json(), the seed's stack (Debian's node-express). Both answer exactly what a worker answers.
"use strict";
const fs = require("fs");
const http = require("http");
const [mode, socket] = process.argv.slice(2);

function answer(request) {
    if (!request || request.jsonrpc !== "2.0" || request.method !== "system.ping")
        return { jsonrpc: "2.0", id: request && request.id !== undefined ? request.id : null, error: { code: -32601, message: "Method not found" } };
    return { jsonrpc: "2.0", id: request.id, result: "pong" };
}

let server;
if (mode === "express") {
    const express = require("express");
    const app = express();
    app.disable("x-powered-by");
    app.disable("etag");
    app.post("/rpc", express.json(), (req, res) => res.json(answer(req.body)));
    server = http.createServer(app);
} else {
    server = http.createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            let request;
            try { request = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { request = undefined; }
            const body = JSON.stringify(request === undefined ? { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } } : answer(request));
            res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
            res.end(body);
        });
    });
}
server.keepAliveTimeout = 75_000;
try { fs.unlinkSync(socket); } catch {}
server.listen(socket, () => fs.chmodSync(socket, 0o777));
