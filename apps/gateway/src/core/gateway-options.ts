import type { GlobalConfig } from '@sogoms/config';

/** What the gateway is started with: the config folder and its validated `sogoms.yaml`. */
export interface GatewayOptions {
  configRoot: string;
  global: GlobalConfig;
}

export const GATEWAY_OPTIONS = Symbol('sogoms.gateway_options');
