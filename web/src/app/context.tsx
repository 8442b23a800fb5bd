import { createContext, useContext, type ReactNode } from "react";
import { createApi, type Api } from "../api";
import type { Connection } from "../rpc/Connection";
import type { RpcClient, SessionState } from "../rpc/RpcClient";
import { useStore } from "../state/useStore";

/** What every page reaches: the typed API, the client (session, subscriptions) and the socket. */
export interface AppServices {
    api: Api;
    client: RpcClient;
    connection: Connection;
}

const ServicesContext = createContext<AppServices | null>(null);

/** The services of one tab: one client over one connection. */
export function makeServices(client: RpcClient, connection: Connection): AppServices {
    return { api: createApi(client), client, connection };
}

/** Provides the services to the tree. */
export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
    return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** The services (throws outside the provider: a programming error). */
export function useServices(): AppServices {
    const services = useContext(ServicesContext);
    if (!services) throw new Error("useServices outside ServicesProvider");
    return services;
}

/** The session, re-rendering on sign in / out / expiry. */
export function useSession(): SessionState {
    return useStore(useServices().client.session);
}
