import { handleTrpcRequest } from "@sigil/api/http";

// Path-prefix mode: /tenant/<slug>/api/trpc/… — the API reads the slug from the URL itself, so
// the session cookie it sets is scoped to Path=/tenant/<slug>.
const handler = (req: Request) => handleTrpcRequest(req);

export { handler as GET, handler as POST };
