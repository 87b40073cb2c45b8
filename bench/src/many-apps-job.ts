/** What the harness asks of the many-apps load driver (one JSON argument). */
export interface ManyAppsJob {
  port: number;
  path: string;
  /** One Host header per app; connection `i` calls `hosts[floor(i / perHost)]`. */
  hosts: string[];
  perHost: number;
  durationS: number;
}
