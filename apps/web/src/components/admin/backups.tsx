"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { formatBytes } from "./format";

type Backup = NonNullable<RouterOutputs["tenants"]["backupState"]["latest"]>;

/** How to put a tenant back to a set, as the operator types it (README: Operating it, restore). */
export function restoreCommand(slug: string, setPath: string): string {
  return `pnpm sigil restore --tenant ${slug} --from ${setPath}`;
}

function useBackUpNow() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.tenants.backUpNow.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenants.backups.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.tenants.backupState.queryKey() }),
        ]);
        const failed = result.failures.length;
        toast({
          title: failed > 0 ? `Backup finished with ${failed} failure(s)` : "Backup taken",
          description: `${result.files} file(s), ${formatBytes(result.bytes)} (${result.reused} unchanged, linked) in ${result.setPath}`,
          tone: failed > 0 ? "danger" : "success",
        });
      },
    }),
  );
}

function BackupSummary({ backup }: { backup: Backup }) {
  return (
    <span>
      <DateTime value={backup.takenAt} /> (<RelativeTime value={backup.takenAt} />)
      {backup.outcome === "ok" ? <> · {formatBytes(backup.bytes ?? 0)}</> : <> · failed: {backup.error}</>}
    </span>
  );
}

/** One tenant's latest backup (time, age, size), "Back up now", and how to restore it. */
export function TenantBackupCard({ tenant }: { tenant: { id: string; slug: string } }) {
  const trpc = useTRPC();
  const state = useQuery(trpc.tenants.backupState.queryOptions({ id: tenant.id }));
  const backUp = useBackUpNow();
  const lastGood = state.data?.lastGood ?? null;
  const latest = state.data?.latest ?? null;
  const unavailable = state.data?.unavailable ?? null;
  if (unavailable !== null) return <BackupsUnavailable reason={unavailable} />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Backups</CardTitle>
        <CardDescription>
          {latest ? (
            <>
              Last backup: <BackupSummary backup={latest} />.
            </>
          ) : state.isPending ? (
            "Loading…"
          ) : (
            "Never backed up."
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        {lastGood ? (
          <p className="text-gray-700">
            To restore the last good one: <code className="font-mono text-xs break-all">{restoreCommand(tenant.slug, lastGood.setPath)}</code>
          </p>
        ) : null}
        {state.error ? <ErrorAlert error={state.error} /> : null}
        {backUp.error ? <ErrorAlert error={backUp.error} /> : null}
        <Button variant="secondary" onClick={() => backUp.mutate({ tenantIds: [tenant.id] })} disabled={backUp.isPending}>
          {backUp.isPending ? "Backing up…" : "Back up now"}
        </Button>
      </CardContent>
    </Card>
  );
}

/** Instead of backups, where they do not apply (an installation on PostgreSQL): why, and what to use. */
function BackupsUnavailable({ reason }: { reason: string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Backups</CardTitle>
      </CardHeader>
      <CardContent>
        <Alert title="File backups do not apply to this installation">{reason}</Alert>
      </CardContent>
    </Card>
  );
}

/** Why backups do not apply to this installation, or null when they do (or while it is not known yet). */
export function useBackupsUnavailable(): string | null {
  const trpc = useTRPC();
  return useQuery(trpc.tenants.backups.queryOptions()).data?.target.unavailable ?? null;
}

/**
 * Every tenant's latest backup and the schedule (Health page). "Back up everything now" is a
 * maintenance run of its own (MaintenanceRunPanel kind="backup", above it), with live progress;
 * this table is read again when that run ends.
 */
export function BackupsPanel() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.tenants.backups.queryOptions());
  const target = overview.data?.target;
  if (target?.unavailable) return <BackupsUnavailable reason={target.unavailable} />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Backups</CardTitle>
        <CardDescription>
          {target
            ? target.scheduled
              ? `The worker backs up everything every ${Math.round(target.intervalMs / 60_000)} min into ${target.dir}, keeping ${target.retention} sets.`
              : `No schedule (BACKUP_DIR is not set). "Back up now" writes into ${target.dir}.`
            : "Loading…"}{" "}
          Restore a workspace with <code className="font-mono text-xs">pnpm sigil restore --tenant &lt;slug&gt; --from &lt;set folder&gt;</code>.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {overview.error ? <ErrorAlert error={overview.error} /> : null}
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Workspace</TableHead>
              <TableHead>Last backup</TableHead>
              <TableHead>Size</TableHead>
              <TableHead>Age</TableHead>
              <TableHead>Outcome</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(overview.data?.tenants ?? []).map((row) => (
              <TableRow key={row.id}>
                <TableCell className="font-mono">{row.slug}</TableCell>
                <TableCell>{row.latest ? <DateTime value={row.latest.takenAt} /> : "never"}</TableCell>
                <TableCell>{row.lastGood?.bytes != null ? formatBytes(row.lastGood.bytes) : "—"}</TableCell>
                <TableCell>
                  <RelativeTime value={row.latest?.takenAt ?? null} />
                </TableCell>
                <TableCell>
                  {row.latest ? (row.latest.outcome === "ok" ? (row.latest.reused ? "ok (unchanged)" : "ok") : `failed: ${row.latest.error ?? ""}`) : "—"}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
