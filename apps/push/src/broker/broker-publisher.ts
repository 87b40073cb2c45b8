export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

/**
 * Where the push service publishes: its embedded broker, or an external one (sogoms.yaml
 * `push.broker`). Resolves once the broker took the message (QoS 1: acknowledged).
 */
export abstract class BrokerPublisher {
  abstract readonly kind: 'embedded' | 'external';
  abstract publish(topic: string, payload: string, options: PublishOptions): Promise<void>;
  /** Whether messages can be published now. */
  abstract isUp(): boolean;
  /** Clients connected now, per app; null when the broker is another program's (external). */
  abstract connectedClients(): ReadonlyMap<string, number> | null;
}
