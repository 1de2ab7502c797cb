import { WorkspaceJump } from "@/components/landing/workspace-jump";
import { Logo } from "@/components/logo";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { siteUrls } from "@/lib/server/site-url";

const FEATURES = [
  { title: "Prompts with history", text: "Every change is a version. Compare two side by side and restore any of them." },
  { title: "Templates and runs", text: "Fill template variables, run a prompt against a provider and follow it until it is done." },
  { title: "Files and deployments", text: "Keep reference files next to your prompts and publish a prompt under a stable name." },
  { title: "Isolated workspaces", text: "Each workspace keeps its content in a database of its own, with its own users and keys." },
];

/** The root host: what Sigil is and how to reach a workspace. Shows no tenant data. */
export default async function LandingPage() {
  const urls = await siteUrls();
  const example = urls.workspace("<workspace>");
  return (
    <div className="min-h-dvh">
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex h-16 max-w-5xl items-center justify-between px-6">
          <Logo />
          <a href={urls.admin} className={buttonClasses({ variant: "ghost", size: "sm" })}>
            Admin dashboard
          </a>
        </div>
      </header>

      <main className="mx-auto max-w-5xl px-6 py-14">
        <section className="max-w-2xl">
          <h1 className="text-3xl font-semibold tracking-tight text-gray-900 sm:text-4xl">Prompts your whole team can work on</h1>
          <p className="mt-4 text-base leading-7 text-gray-600">
            Sigil is a prompt platform for many teams on one installation. Each team has its own workspace: its prompts and their versions, executions, files,
            deployments, members and API keys.
          </p>
        </section>

        <div className="mt-10 grid gap-6 lg:grid-cols-5">
          <Card className="lg:col-span-3">
            <CardHeader>
              <CardTitle>Open your workspace</CardTitle>
              <CardDescription>Every workspace has its own address. Sign in there with the account your administrator created or invited.</CardDescription>
            </CardHeader>
            <CardContent className="space-y-6">
              <WorkspaceJump workspaceUrlTemplate={`${urls.workspace("__slug__")}/`} />
              <dl className="space-y-3 text-sm">
                <div>
                  <dt className="font-medium text-gray-800">On its own host name</dt>
                  <dd className="mt-1 font-mono text-gray-700">{example}</dd>
                </div>
                <div>
                  <dt className="font-medium text-gray-800">Under this address, when sub-domains are not available</dt>
                  <dd className="mt-1 font-mono text-gray-700">{`${urls.root}/tenant/<workspace>/`}</dd>
                </div>
                <div>
                  <dt className="font-medium text-gray-800">On a custom domain</dt>
                  <dd className="mt-1 text-gray-600">If your administrator registered one for your workspace.</dd>
                </div>
              </dl>
            </CardContent>
          </Card>

          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>Run the installation</CardTitle>
              <CardDescription>System administrators create workspaces, set plans and limits, and watch migrations and health.</CardDescription>
            </CardHeader>
            <CardContent>
              <a href={urls.admin} className={buttonClasses({ variant: "secondary" })}>
                Go to the admin dashboard
              </a>
              <p className="mt-3 font-mono text-sm text-gray-600">{urls.admin}</p>
            </CardContent>
          </Card>
        </div>

        <section aria-labelledby="features" className="mt-14">
          <h2 id="features" className="text-sm font-semibold tracking-wide text-gray-500 uppercase">
            What a workspace holds
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2">
            {FEATURES.map((feature) => (
              <li key={feature.title} className="rounded-lg border border-gray-200 bg-white p-5">
                <p className="font-medium text-gray-900">{feature.title}</p>
                <p className="mt-1 text-sm leading-6 text-gray-600">{feature.text}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
