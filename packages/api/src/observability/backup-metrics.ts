import { tenantBackupModel } from "@sigil/db";
import { registerGauge } from "./metrics.ts";

/**
 * Backup freshness (README: Operating it, Backups), read from `tenant_backups` when scraped. The
 * alert that matters is the stalest tenant: one tenant whose backups keep failing hides behind a
 * fresh "newest" figure. Ages are absent (no sample) until a good backup exists.
 */
function ageSeconds(at: number | null): number | null {
  return at === null ? null : Math.max(0, (Date.now() - at) / 1000);
}

type Freshness = Awaited<ReturnType<typeof tenantBackupModel.freshness>>;

async function readFreshness(): Promise<Freshness | null> {
  try {
    return await tenantBackupModel.freshness();
  } catch {
    // Left out of this scrape: /api/ready says what is wrong with the shared database.
    return null;
  }
}

/**
 * Both gauges show the same read: the first collected in a scrape (the registry starts the
 * collections in registration order, this module's order) starts it and leaves it here, before
 * its first await; the second takes it.
 */
let readThisScrape: Promise<Freshness | null> | undefined;

registerGauge({
  name: "sigil_backup_age_seconds",
  help: "Seconds since a successful backup: which=newest, of any workspace file; which=stalest_tenant, the last one of the active workspace whose last one is oldest. No sample until one exists.",
  labelNames: ["which"],
  async collect() {
    const reading = readFreshness();
    readThisScrape = reading;
    const current = await reading;
    // A labelled gauge shows no sample after reset: an age of 0 would read as "just backed up".
    this.reset();
    const newest = ageSeconds(current?.newestGoodAt ?? null);
    const stalest = ageSeconds(current?.stalestLastGoodAt ?? null);
    if (newest !== null) this.set({ which: "newest" }, newest);
    if (stalest !== null) this.set({ which: "stalest_tenant" }, stalest);
  },
});
registerGauge({
  name: "sigil_backup_tenants_without_backup",
  help: "Active workspaces with no successful backup recorded.",
  async collect() {
    const reading = readThisScrape ?? readFreshness();
    readThisScrape = undefined;
    const current = await reading;
    if (current === null) this.reset();
    else this.set(current.activeTenantsWithoutGood);
  },
});
