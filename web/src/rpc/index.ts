export * from "./backoff";
export * from "./Connection";
export * from "./http";
export * from "./messages";
export * from "./RpcClient";
export * from "./RpcError";
export * from "./SubscriptionRegistry";
