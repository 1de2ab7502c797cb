"use client";

import { MAINTENANCE_REASON_MAX } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { characterCount } from "@/components/ui/character-count";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { UnsavedChanges } from "@/components/unsaved-changes/context";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { useInvalidateTenant } from "./use-invalidate-tenant";

type Tenant = RouterOutputs["tenants"]["getById"];

/**
 * A tenant's maintenance mode (`tenants.enterMaintenance` / `leaveMaintenance`): while on, the
 * workspace shows a banner, its writes are refused with the reason and expected end, reads work.
 */
export function MaintenanceCard({ tenant }: { tenant: Tenant }) {
  const trpc = useTRPC();
  const toast = useToast();
  const invalidate = useInvalidateTenant(tenant.id);
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState("");
  const onSuccess = async (updated: { slug: string; maintenance: unknown }) => {
    await invalidate();
    toast({ title: updated.maintenance ? `${updated.slug} is in maintenance` : `${updated.slug} is out of maintenance`, tone: "success" });
  };
  const enter = useMutation(trpc.tenants.enterMaintenance.mutationOptions({ onSuccess }));
  const leave = useMutation(trpc.tenants.leaveMaintenance.mutationOptions({ onSuccess }));
  const maintenance = tenant.maintenance;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const duration = Number(minutes);
    const until = minutes.trim() !== "" && Number.isFinite(duration) && duration > 0 ? new Date(Date.now() + duration * 60_000) : null;
    enter.mutate({ id: tenant.id, reason, until });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Maintenance</CardTitle>
        <CardDescription>
          {maintenance ? (
            <>
              On since <DateTime value={maintenance.since} /> ({maintenance.by}): {maintenance.reason}.{" "}
              {maintenance.until ? (
                <>
                  Expected to end <DateTime value={maintenance.until} />.
                </>
              ) : (
                "No end time given."
              )}
            </>
          ) : (
            "Off. In maintenance, the workspace shows a banner, refuses changes with your reason, and still serves reads."
          )}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {maintenance ? (
          <div className="space-y-3">
            <Button onClick={() => leave.mutate({ id: tenant.id })} disabled={leave.isPending}>
              End maintenance
            </Button>
            {leave.error ? <ErrorAlert error={leave.error} /> : null}
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-3">
            <UnsavedChanges dirty={reason !== ""} />
            <Field label="Reason (shown to its users)" hint={characterCount(reason.length, MAINTENANCE_REASON_MAX)}>
              {(props) => <Input {...props} name="reason" value={reason} onChange={(event) => setReason(event.target.value)} required />}
            </Field>
            <Field label="Expected duration in minutes" optional>
              {(props) => <Input {...props} name="minutes" type="number" min={1} value={minutes} onChange={(event) => setMinutes(event.target.value)} />}
            </Field>
            {enter.error ? <ErrorAlert error={enter.error} /> : null}
            <Button type="submit" variant="secondary" disabled={enter.isPending}>
              Start maintenance
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
