import { Logo } from "@/components/logo";
import { Badge } from "@/components/ui/badge";
import type { UnavailableStatus } from "@/lib/trpc-errors";

const COPY: Record<UnavailableStatus, { title: string; text: string }> = {
  suspended: {
    title: "This workspace is suspended",
    text: "Its members cannot sign in or use its API until a Sigil administrator reactivates it. Your prompts, files and history are kept.",
  },
  inactive: {
    title: "This workspace is inactive",
    text: "It is not accepting sign-ins or API calls. Ask a Sigil administrator to reactivate it.",
  },
};

/** Shown instead of a workspace whose registry status is not active (from `data.tenantStatus`). */
export function WorkspaceUnavailable({ name, status }: { name: string; status: UnavailableStatus }) {
  const copy = COPY[status];
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 py-16">
      <div className="w-full max-w-md text-center">
        <div className="mb-10 flex justify-center">
          <Logo />
        </div>
        <Badge tone="warning" className="capitalize">
          {status}
        </Badge>
        <h1 className="mt-3 text-2xl font-semibold tracking-tight text-gray-900">{copy.title}</h1>
        <p className="mt-3 text-sm leading-6 text-gray-600">
          <span className="font-medium text-gray-800">{name}</span> · {copy.text}
        </p>
        <p className="mt-6 text-sm text-gray-600">Contact your administrator if you need access now.</p>
      </div>
    </main>
  );
}
