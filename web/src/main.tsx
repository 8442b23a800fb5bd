import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { makeServices, ServicesProvider } from "./app/context";
import { Connection } from "./rpc/Connection";
import { httpCaller } from "./rpc/http";
import { RpcClient } from "./rpc/RpcClient";
import "./styles.css";

// One WebSocket per tab, same origin as the page (nginx serves both), so the __Host- cookies and the Origin check work.
const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/rpc/ws`;
let client: RpcClient | undefined;
const connection = new Connection({ url: wsUrl, onCredentialsRejected: () => client?.credentialsRejected() ?? Promise.resolve() });
client = new RpcClient({ connection, http: httpCaller("/rpc"), storage: window.localStorage });
const services = makeServices(client, connection);
void client.restore();

const root = document.getElementById("root");
if (root) {
    createRoot(root).render(
        <StrictMode>
            <ServicesProvider services={services}>
                <App />
            </ServicesProvider>
        </StrictMode>,
    );
}
