export { handleTrpcRequest, trpcEndpoint } from "./handler.ts";
export { startApiServer } from "./node-server.ts";
