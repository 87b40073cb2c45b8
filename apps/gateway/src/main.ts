import { SchemaPreload } from './startup/schema-preload.js';

// First, before Nest and the rest load (about a second): a worker thread parses the apps'
// schema files meanwhile, on the other core.
const preload = SchemaPreload.start();
const { startGateway } = await import('./gateway.bootstrap.js');
startGateway(preload);
